"""VNICs and ports of the DHCP topologies: multi_host addressing and floating IPs.

On top of ``netservice.networks.vnics.Vnics``:

- ``network_info`` names the DHCP server, and on a multi_host network the
  address the instance's host claimed as its gateway and DHCP server;
- with ``auto_assign_floating_ip``, an instance's first fixed IP gets a
  floating IP from the default pool once it is bound;
- unbinding disassociates the address's floating IPs (and frees the
  auto-assigned one) in the same transaction that deallocates it.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.network_info import NetworkInfo
from netservice.core.notify import ChangeNotifier
from netservice.floating.exceptions import FloatingIpPoolNotFound, NoMoreFloatingIps
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks import info
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.domain import Network, Vnic
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology
from netservice.networks.vnics import Vnics
from netservice.networks.writes import Write

LOG = logging.getLogger(__name__)


class DhcpVnics(Vnics):
    """Ethernet cards and their fixed IPs, for a topology that serves DHCP."""

    def __init__(
        self,
        db: Database,
        allocator: Allocator,
        schema: Schema,
        topology: Topology,
        networks: DhcpNetworks,
        *,
        host: str,
        notifier: ChangeNotifier | None = None,
        floating: FloatingIps | None = None,
        auto_assign_pool: str | None = None,
    ) -> None:
        """``auto_assign_pool``: the pool of ``auto_assign_floating_ip``; None: off."""
        super().__init__(db, allocator, schema, topology, networks, host=host, notifier=notifier)
        self.dhcp_networks = networks
        self.floating = floating
        self.auto_assign_pool = auto_assign_pool

    def network_info(self, card: Vnic, network: Any, address: str | None) -> NetworkInfo:
        """A multi_host network's gateway and DHCP server are the instance's host."""
        if not network.multi_host or self.topology.share_dhcp_address:
            return super().network_info(card, network, address)
        fixed = self.schema.fixed_ip
        with self.db.transaction() as session:
            host = session.scalar(
                sa.select(fixed.host).where(fixed.vnic_id == card.id, fixed.allocated.is_(True))
            )
        own = self.dhcp_networks.dhcp_address(network, host) if host else None
        own = own or network.dhcp_server or network.gateway
        return info.network_info(card, network, address, dhcp_server=own, gateway=own)

    def _after_bind(self, card: Vnic, network: Network, address: str, host: str) -> None:
        if self.floating is None or self.auto_assign_pool is None:
            return
        if not self._first_of_instance(network.id, address):
            return
        try:
            self.floating.auto_assign_floating_ip(
                RequestContext.admin(card.project_id),
                address,
                self.auto_assign_pool,
                project_id=card.project_id,
                host=host if network.multi_host else network.host,
            )
        except (NoMoreFloatingIps, FloatingIpPoolNotFound) as err:
            # The fixed IP is bound and stays so: the instance boots without one.
            LOG.warning("auto_assign_floating_ip: %s has no floating IP: %s", address, err)

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

    def _before_unbind(self, write: Write, card: Any, address: str) -> None:
        if self.floating is None or write.session is None:
            return
        # Lock order: the network row first, then fixed and floating IP rows.
        self.allocator.lock_network(write.conn, card.network_id)
        self.floating.release_for_instance([address], session=write.session)
