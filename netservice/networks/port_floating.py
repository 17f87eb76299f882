"""``FloatingOnPorts``: the floating IPs a port brings and takes away (FlatDHCP, VLAN).

A ``PortExtra`` part of the VNIC service (``netservice.networks.vnics``):

- with ``auto_assign_floating_ip`` (``auto_assign_pool`` set), an
  instance's first fixed IP gets a floating IP from that pool once it is
  bound; a pool that is empty or missing leaves the instance without one,
  with a warning;
- unbinding disassociates the address's floating IPs (and frees the
  auto-assigned one) in the same transaction that deallocates it.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.floating.exceptions import FloatingIpPoolNotFound, NoMoreFloatingIps
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.domain import Network, Vnic
from netservice.networks.schema import Schema
from netservice.networks.writes import Write

LOG = logging.getLogger(__name__)


class FloatingOnPorts:
    """Auto-assigns floating IPs on bind and releases them on unbind."""

    def __init__(
        self,
        db: Database,
        schema: Schema,
        allocator: Allocator,
        floating: FloatingIps,
        *,
        auto_assign_pool: str | None = None,
    ) -> None:
        """``auto_assign_pool``: the pool of ``auto_assign_floating_ip``; None: off."""
        self.db = db
        self.schema = schema
        self.allocator = allocator
        self.floating = floating
        self.auto_assign_pool = auto_assign_pool

    def after_bind(self, vnic: Vnic, network: Network, address: str, host: str) -> None:
        if self.auto_assign_pool is None or not self._first_of_instance(network.id, address):
            return
        try:
            self.floating.auto_assign_floating_ip(
                RequestContext.admin(vnic.project_id),
                address,
                self.auto_assign_pool,
                project_id=vnic.project_id,
                host=host if network.multi_host else network.host,
            )
        except (NoMoreFloatingIps, FloatingIpPoolNotFound) as err:
            # The fixed IP is bound and stays so: the instance boots without one.
            LOG.warning("auto_assign_floating_ip: %s has no floating IP: %s", address, err)

    def before_unbind(self, write: Write, network_id: int, address: str) -> None:
        if write.session is None:
            return
        # Lock order: the network row first, then fixed and floating IP rows.
        self.allocator.lock_network(write.conn, network_id)
        self.floating.release_for_instance([address], session=write.session)

    def _first_of_instance(self, network_id: int, address: str) -> bool:
        """Whether no other fixed IP of the address's instance has an auto-assigned one."""
        fixed, floating = self.schema.fixed_ip, self.schema.floating_ip
        with self.db.transaction() as session:
            instance_id = session.scalar(
                sa.select(fixed.instance_id).where(
                    fixed.network_id == network_id, fixed.address == address
                )
            )
            if instance_id is None:
                return True
            taken = session.scalar(
                sa.select(sa.func.count())
                .select_from(floating)
                .join(fixed, fixed.id == floating.fixed_ip_id)
                .where(
                    fixed.instance_id == instance_id,
                    floating.auto_assigned.is_(True),
                    floating.deleted == 0,
                )
            )
        return not taken
