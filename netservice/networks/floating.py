"""Floating IPs as a plugin's API offers them: ``netservice.floating`` plus the
checks that need the plugin's own tables.

``netservice.floating.FloatingIps`` checks who holds a floating IP; which
fixed IP a project may point it at, and on which host the NAT lives, depend
on the plugin's VNICs and networks, so they are decided here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_config import cfg

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.floating.service import FloatingIps
from netservice.floating.store import Association
from netservice.ipam import ranges
from netservice.ipam.exceptions import FixedIpNotFound
from netservice.networks.schema import Schema


def public_interface(global_config: cfg.ConfigOpts | None) -> str | None:
    """``[linux] public_interface``: what ``floating create`` stores without ``--interface``.

    None without a configuration (a plugin built by hand) or when it is empty.
    """
    if global_config is None:
        return None
    return str(global_config.linux.public_interface or "") or None


class PluginFloatingIps:
    """``associate`` for a plugin's REST API; everything else is ``floating``'s own."""

    def __init__(self, db: Database, schema: Schema, floating: FloatingIps) -> None:
        self.db = db
        self.schema = schema
        self.floating = floating

    def _fixed(self, fixed_address: str) -> Any:
        """The fixed IP with its VNIC's project and its network's host settings."""
        fixed, vnic, net = self.schema.fixed_ip, self.schema.vnic, self.schema.network
        query = (
            sa.select(
                fixed.address,
                fixed.host,
                vnic.project_id,
                net.host.label("network_host"),
                net.multi_host,
            )
            .join(net, net.id == fixed.network_id)
            .outerjoin(vnic, vnic.id == fixed.vnic_id)
            .where(
                fixed.address_int == ranges.to_int(fixed_address, "fixed_address"),
                net.deleted == 0,
            )
        )
        with self.db.transaction() as session:
            return session.execute(query).first()

    def associate(
        self, context: RequestContext, floating_address: str, fixed_address: str
    ) -> Association:
        """NAT a floating IP the caller holds to a fixed IP of the caller's VNICs.

        The NAT lives on the network's host, or on a multi_host network on
        the instance's host.  Another project's fixed IP answers
        FixedIpNotFound (404), as one that does not exist; otherwise see
        ``FloatingIps.associate``.
        """
        row = self._fixed(fixed_address)
        if row is not None and not context.is_admin and row.project_id != context.project_id:
            row = None
        if row is None:
            raise FixedIpNotFound(address=fixed_address)
        host = row.host if row.multi_host else row.network_host
        return self.floating.associate(context, floating_address, row.address, host)
