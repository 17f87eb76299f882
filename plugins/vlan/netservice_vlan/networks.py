"""VLAN's networks service: ``netservice.networks.dhcp`` plus networks owned by projects.

In the VLAN topology a network belongs to one project.  On top of FlatDHCP's
service this adds:

- ``network_for_project``: the project's network, or, for a project that
  has none yet (its first instance), a free network claimed for it, in one
  transaction, so two first boots of one project claim one network and two
  projects never claim the same one (nova's ``project_get_networks`` with
  ``associate``); ``NoMoreNetworks`` when none is free;
- ``add_network_to_project``: give a project a free network, or the one named;
- ``associate`` and ``disassociate``: a network's project and host, as the
  os-networks actions and ``network modify`` do.

``network create`` takes its defaults from ``[vlan]`` (vlan_start, vpn_start,
num_networks, network_size), and ``network delete`` refuses a network still
associated with a project ("disassociate first"), as every topology does.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import sqlalchemy as sa
from netservice.core import exceptions, validation
from netservice.core.db.retry import retry_on_deadlock
from netservice.ipam import planner
from netservice.ipam.exceptions import NetworkNotFound
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.domain import Network
from netservice.networks.topology import Topology

from netservice_vlan.exceptions import NoMoreNetworks

LOG = logging.getLogger(__name__)

NAME = "vlan"


def vlan_topology(config: Any) -> Topology:
    """VLAN's choices: vlan ids up to 4094, or VNIs up to 16,777,215 in vxlan mode."""
    vxlan = config.segmentation == "vxlan"
    interface = (config.vxlan_underlay if vxlan else None) or config.vlan_interface
    return Topology(
        name=NAME,
        free_on_unbind=False,
        planner=planner.Topology(
            vlan=True,
            default_bridge=None,
            default_bridge_interface=interface,
            default_dns1=config.vlan_network_dns,
            cnt_vpn_clients=int(config.cnt_vpn_clients),
            max_vlan=planner.MAX_VNI if vxlan else planner.MAX_VLAN,
        ),
        default_multi_host=bool(config.multi_host),
        quota_fixed_ips=int(config.quota_fixed_ips),
        dhcp=True,
        fixed_ip_disassociate_timeout=int(config.fixed_ip_disassociate_timeout),
        share_dhcp_address=bool(config.share_dhcp_address),
        vpn_ip=config.vpn_ip or None,
        create_defaults={
            "num_networks": config.num_networks,
            "network_size": config.network_size,
            "vlan_start": config.vlan_start,
            "vpn_start": config.vpn_start,
        },
    )


class VlanNetworks(DhcpNetworks):
    """Networks and addresses of the VLAN service (``[vlan]`` options, ``vlan_topology``)."""

    def create(self, request: planner.NetworkRequest) -> tuple[list[Network], list[str]]:
        """``network create`` with ``[vlan]``'s defaults for what the request leaves out."""
        defaults = self.topology.create_defaults
        given = {k: v for k, v in defaults.items() if getattr(request, k) in (None, "")}
        if request.vlan not in (None, ""):
            given.pop("vlan_start", None)
        return super().create(dataclasses.replace(request, **given))

    # --- networks of a project ---------------------------------------------------------

    def project_networks(self, project_id: str) -> list[Network]:
        """The project's live networks, by id (its VPN network first)."""
        net = self.schema.network
        query = (
            sa.select(net).where(net.deleted == 0, net.project_id == project_id).order_by(net.id)
        )
        return self.read_models(query)

    def network_for_project(self, project_id: str) -> Network:
        """The project's first network, claiming a free one when it has none.

        Atomic: concurrent callers for one project get the same network, and
        a free network goes to one project only.  Raises NoMoreNetworks (409).
        """
        project_id = validation.project_id(project_id, "project_id")
        owned = self.project_networks(project_id)
        if owned:
            return owned[0]
        return self._claim(project_id, None, only_if_none=True)

    def add_network_to_project(self, project_id: str, ref: str | None = None) -> Network:
        """Give the project another network: ``ref``, or the first free one.

        ``ref`` must be unassigned or already the project's (then nothing
        changes).  Raises NetworkNotFound, Conflict (another project's
        network) or NoMoreNetworks (409).
        """
        project_id = validation.project_id(project_id, "project_id")
        return self._claim(project_id, self.get(ref) if ref else None, only_if_none=False)

    @retry_on_deadlock
    def _claim(self, project_id: str, wanted: Network | None, *, only_if_none: bool) -> Network:
        with self.writes.session() as write:
            # The project's service first: a project vlan does not serve is
            # told so, not that no network is free.
            self.claim_project(write.conn, project_id, self.topology.name)
            chosen, claimed = self._choose(write.conn, project_id, wanted, only_if_none)
            if claimed:
                net = self.schema.network
                write.conn.execute(
                    sa.update(net).where(net.id == chosen).values(project_id=project_id)
                )
                write.changed(chosen)
        if claimed:
            LOG.info("vlan network %s now belongs to project %s", chosen, project_id)
        return self.get(str(chosen))

    def _choose(
        self, conn: sa.Connection, project_id: str, wanted: Network | None, only_if_none: bool
    ) -> tuple[int, bool]:
        """``(network id, whether it must be claimed)``, under the claim lock."""
        net = self.schema.network
        self.lock_networks(conn)
        if only_if_none:
            # Another caller for this project may have claimed one meanwhile.
            held = conn.scalar(
                sa.select(net.id)
                .where(net.deleted == 0, net.project_id == project_id)
                .order_by(net.id)
                .limit(1)
            )
            if held is not None:
                return int(held), False
        if wanted is None:
            free = conn.scalar(
                sa.select(net.id)
                .where(net.deleted == 0, net.project_id.is_(None), net.cidr.is_not(None))
                .order_by(net.id)
                .limit(1)
            )
            if free is None:
                raise NoMoreNetworks(project_id=project_id)
            return int(free), True
        owner = conn.execute(
            sa.select(net.project_id).where(net.id == wanted.id, net.deleted == 0)
        ).first()
        if owner is None:
            raise NetworkNotFound(network=wanted.uuid)
        if owner.project_id not in (None, project_id):
            raise exceptions.Conflict(
                reason=f"network {wanted.uuid} belongs to project {owner.project_id}; "
                "disassociate it first"
            )
        return int(wanted.id), owner.project_id is None

    # --- association (os-networks actions, network modify) ------------------------------

    def associate(
        self, ref: str, *, project: str | None = None, host: str | None = None
    ) -> Network:
        """Associate the network with ``project`` and/or ``host``.  Idempotent."""
        return self.modify(ref, project=project, host=host)

    def disassociate(self, ref: str, *, project: bool = True, host: bool = True) -> Network:
        """Take the network away from its project and/or host.  Idempotent."""
        return self.modify(ref, disassociate_project=project, disassociate_host=host)
