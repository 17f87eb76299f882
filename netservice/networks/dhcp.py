"""What the DHCP topologies (FlatDHCP, VLAN) add to a plugin's networks service.

- ``set_network_host``: a network host claims an unowned network, atomically;
- ``disassociate_expired``: the periodic sweep that frees fixed IPs held past
  ``fixed_ip_disassociate_timeout`` after their instance let them go;
- ``get_dhcp_leases``: the hosts a network's dnsmasq serves, and their state;
- multi_host: each host claims a pool address of the network as its own
  gateway and DHCP address (``claim_dhcp_address``, ``setup_networks_on_host``),
  unless ``share_dhcp_address``;
- ``update_dns``: wake the reconcilers so dnsmasq's host entries are current.

A host's own address is a fixed IP row with ``allocated`` set, no VNIC and
no instance, and ``host`` naming the host: nothing else writes that shape.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.validation import identifier
from netservice.ipam.exceptions import NetworkNotFound
from netservice.networks.domain import Lease, Network
from netservice.networks.networks import Networks

LOG = logging.getLogger(__name__)


class DhcpNetworks(Networks):
    """Networks of a topology that serves DHCP from network (or compute) hosts."""

    @retry_on_deadlock
    def set_network_host(self, ref: str | int, host: str) -> str:
        """Claim the network for ``host`` if no host serves it yet; returns its host.

        ``UPDATE ... WHERE host IS NULL`` is atomic on every backend: when
        hosts race, exactly one wins and every caller is told which.  A
        multi_host network is served by every host and is never claimed
        (returns ``host``).  Raises NetworkNotFound.
        """
        host = identifier(host, "host")
        network = self.get(str(ref))
        if network.multi_host:
            return host
        net = self.schema.network
        with self.writes.session() as write:
            claimed = write.conn.execute(
                sa.update(net)
                .where(net.id == network.id, net.host.is_(None), net.deleted == 0)
                .values(host=host)
            )
            if claimed.rowcount == 1:
                write.changed(network.id)
                LOG.info("host %s claimed %s network %s", host, self.topology.name, network.uuid)
            owner = write.conn.scalar(sa.select(net.host).where(net.id == network.id))
        if owner is None:
            raise NetworkNotFound(network=ref)
        return str(owner)

    def served_by(self, host: str) -> list[Network]:
        """The live networks ``host`` serves: those it claimed, and every multi_host one."""
        net = self.schema.network
        query = (
            sa.select(net)
            .where(net.deleted == 0, sa.or_(net.host == host, net.multi_host.is_(True)))
            .order_by(net.id)
        )
        return self.read_models(query)

    @retry_on_deadlock
    def disassociate_expired(self, host: str, *, now: datetime.datetime | None = None) -> int:
        """Free fixed IPs deallocated more than ``fixed_ip_disassociate_timeout`` ago.

        The periodic task of the network host: it sweeps the networks ``host``
        serves, one transaction per network.  Returns how many were freed.
        Idempotent.
        """
        timeout = datetime.timedelta(seconds=self.topology.fixed_ip_disassociate_timeout)
        before = (now or utcnow()) - timeout
        freed = 0
        for network in self.served_by(host):
            with self.writes.session() as write:
                count = self.allocator.free_expired(write.conn, network.id, before)
                if count:
                    write.changed(network.id)
            if count:
                LOG.info("freed %s timed-out fixed IP(s) of network %s", count, network.uuid)
            freed += count
        return freed

    def get_dhcp_leases(self, ref: str, host: str | None = None) -> list[Lease]:
        """The VNICs' fixed IPs of a network, allocated or still leased, by address.

        With ``host`` (multi_host), only the addresses that host serves.
        Raises NetworkNotFound.
        """
        network = self.get(ref)
        fixed, vnic = self.schema.fixed_ip, self.schema.vnic
        query = (
            sa.select(fixed, vnic.mac)
            .join(vnic, vnic.id == fixed.vnic_id)
            .where(
                fixed.network_id == network.id,
                sa.or_(fixed.allocated.is_(True), fixed.leased.is_(True)),
            )
            .order_by(fixed.address_int)
        )
        if host is not None:
            query = query.where(fixed.host == host)
        with self.db.transaction() as session:
            rows = session.execute(query).all()
        return [
            Lease(
                address=ip.address,
                mac=mac,
                instance_id=ip.instance_id,
                vnic_id=ip.vnic_id,
                host=ip.host,
                allocated=bool(ip.allocated),
                leased=bool(ip.leased),
                updated_at=ip.updated_at,
            )
            for ip, mac in rows
        ]

    # --- multi_host --------------------------------------------------------------------

    def dhcp_address(self, network: Network, host: str | None) -> str | None:
        """The address ``host`` answers DHCP from, and routes for, on ``network``.

        The network's ``dhcp_server`` (its gateway by default), except on a
        multi_host network without ``share_dhcp_address``, where it is the
        pool address ``host`` claimed; None until it has claimed one.
        """
        shared: str | None = network.dhcp_server or network.gateway
        if not network.multi_host or self.topology.share_dhcp_address:
            return shared
        if host is None:
            return None
        with self.db.transaction() as session:
            own: str | None = session.scalar(self._claimed(network.id, host))
        return own

    def _claimed(self, network_id: int, host: str) -> Any:
        fixed = self.schema.fixed_ip
        return sa.select(fixed.address).where(
            fixed.network_id == network_id,
            fixed.host == host,
            fixed.allocated.is_(True),
            fixed.vnic_id.is_(None),
            fixed.instance_id.is_(None),
        )

    @retry_on_deadlock
    def claim_dhcp_address(self, ref: str | int, host: str) -> str | None:
        """Give ``host`` its own address on a multi_host network; returns it.

        Idempotent: a host that has one keeps it.  Returns the network's
        shared address when the network is not multi_host or
        ``share_dhcp_address`` is set.  Raises NetworkNotFound and
        NoMoreFixedIps.
        """
        host = identifier(host, "host")
        network = self.get(str(ref))
        if not network.multi_host or self.topology.share_dhcp_address:
            return self.dhcp_address(network, host)
        with self.writes.session() as write:
            locked = self.allocator.lock_network(write.conn, network.id)
            held = write.conn.scalar(self._claimed(network.id, host))
            if held is not None:
                return str(held)
            allocation = self.allocator.allocate(write.conn, network.id, host=host, locked=locked)
            write.changed(network.id)
        LOG.info("host %s took %s on network %s", host, allocation.address, network.uuid)
        return allocation.address

    @retry_on_deadlock
    def release_dhcp_address(self, ref: str | int, host: str) -> str | None:
        """Give ``host``'s own address on the network back; returns it, or None.  Idempotent."""
        network = self.get(str(ref))
        with self.writes.session() as write:
            self.allocator.lock_network(write.conn, network.id)
            held = write.conn.scalar(self._claimed(network.id, host))
            if held is None:
                return None
            self.allocator.deallocate(write.conn, network.id, str(held), free_now=True)
            write.changed(network.id)
        return str(held)

    def setup_networks_on_host(
        self, context: RequestContext, instance_id: str, host: str, *, teardown: bool = False
    ) -> list[str]:
        """Prepare (or, with ``teardown``, release) ``host`` for the instance's networks.

        For each multi_host network the instance has a VNIC on, ``host``
        claims its own DHCP address (``claim_dhcp_address``), or gives it
        back on teardown when no other instance on ``host`` still holds an
        address there.  Returns the uuids of the networks it touched.
        """
        vnic, fixed = self.schema.vnic, self.schema.fixed_ip
        query = sa.select(vnic.network_id).where(
            vnic.instance_id == instance_id, vnic.deleted == 0
        )
        if not context.is_admin:
            query = query.where(vnic.project_id == context.project_id)
        with self.db.transaction() as session:
            network_ids = sorted(set(session.scalars(query)))
        touched = []
        for network in self.list():
            if network.id not in network_ids or not network.multi_host:
                continue
            if not teardown:
                self.claim_dhcp_address(network.id, host)
            else:
                with self.db.transaction() as session:
                    others = session.scalar(
                        sa.select(sa.func.count()).where(
                            fixed.network_id == network.id,
                            fixed.host == host,
                            fixed.allocated.is_(True),
                            fixed.vnic_id.is_not(None),
                            sa.or_(fixed.instance_id.is_(None), fixed.instance_id != instance_id),
                        )
                    )
                if not others:
                    self.release_dhcp_address(network.id, host)
            touched.append(network.uuid)
        return touched

    @retry_on_deadlock
    def update_dns(self, network_ids: Iterable[int | str]) -> None:
        """Wake the reconcilers of these networks so dnsmasq's host entries are current."""
        with self.writes.session() as write:
            for network_id in network_ids:
                write.changed(network_id)
