"""Ports: binding a VNIC to a fixed IP of its network, and unbinding it.

``Vnics`` is the VNIC service a plugin exposes: the card rows and lookups of
``netservice.networks.cards`` plus the ports.  Binding takes the network's
lock first (``netservice.ipam.allocator``), so two binds of one VNIC cannot
race.  Unbinding frees the address at once when the topology says so
(Flat); DHCP topologies keep a leased address held (``allocated=False``)
until dnsmasq releases it or ``fixed_ip_disassociate_timeout`` passes.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api
from netservice.core.db.model_base import utcnow
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database
from netservice.core.network_info import NetworkInfo
from netservice.core.notify import ChangeNotifier
from netservice.ipam.allocator import Allocator, LockedNetwork
from netservice.ipam.exceptions import FixedIpQuotaExceeded
from netservice.networks import info
from netservice.networks.cards import Cards
from netservice.networks.domain import Network, Port, Vnic
from netservice.networks.parts import PortExtra
from netservice.networks.queries import NetworkQueries
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology
from netservice.networks.writes import Write, Writes

LOG = logging.getLogger(__name__)


class BindOptions(TypedDict, total=False):
    """``Vnics.bind``'s and ``bind_port``'s options, for an override that adds its own."""

    address: str | None
    instance_id: str | None
    host: str | None
    reserved: bool


class Vnics(Cards):
    """Ethernet cards and their fixed IPs."""

    def __init__(
        self,
        db: Database,
        allocator: Allocator,
        schema: Schema,
        topology: Topology,
        networks: NetworkQueries,
        *,
        host: str,
        notifier: ChangeNotifier | None = None,
        extras: Sequence[PortExtra] = (),
        dhcp_address: Callable[[Network, str], str | None] | None = None,
    ) -> None:
        """``extras`` act around each port, in order (DHCP topologies: floating IPs).

        ``dhcp_address(network, host)`` is the address a compute host claimed
        on a multi_host network as its instances' gateway and DHCP server
        (``DhcpNetworks.dhcp_address``); None for a topology without DHCP.
        """
        super().__init__(db, schema, topology, networks)
        self.extras: tuple[PortExtra, ...] = tuple(extras)
        self.dhcp_address = dhcp_address
        self.allocator = allocator
        self.host = host
        self.writes = Writes(db, topology.name, notifier)
        fixed, cards, nets = schema.fixed_ip, schema.vnic.__table__, schema.network.__table__
        self._bound = sa.select(fixed.address).where(
            fixed.vnic_id == sa.bindparam("vnic"), fixed.allocated.is_(True)
        )
        # The VNIC and its network in one locking read: the network row lock is
        # the allocator's per-network lock (see netservice.ipam.allocator).
        self._card_and_network = (
            sa.select(cards, *(c.label(f"n_{c.name}") for c in nets.c))
            .join(nets, nets.c.id == cards.c.network_id)
            .where(cards.c.id == sa.bindparam("vnic"), cards.c.deleted == 0, nets.c.deleted == 0)
            .with_for_update()
        )

    @retry_on_deadlock
    def delete(self, context: RequestContext, vnic_id: str) -> None:
        """Delete the VNIC with its port, its address and its instances' rows, all at once.

        One write transaction: the VNIC and its network are locked first, as
        ``bind`` and ``bind_port`` lock them, so a bind of this VNIC either
        committed before (and its address is released here) or waits and
        then finds the VNIC gone (VnicNotFound).  The address is released
        as ``unbind`` releases it; the core's ``instance_virtual_nics`` rows
        go too (``netservice.core.db.api.release_vnics``).  Raises VnicNotFound.
        """
        vnic = self.schema.vnic
        with self.writes.session() as write:
            card = self._lock_card(write.conn, context, vnic_id)
            address = write.conn.execute(self._bound, {"vnic": card.id}).scalar()
            if address is not None:
                self._release(write, card, str(address))
            write.conn.execute(
                sa.update(vnic)
                .where(vnic.id == card.id)
                .values(deleted=_deleted_marker(card.id), deleted_at=utcnow())
            )
            # Last, so it sees as many concurrent attaches as it can; the core
            # checks the VNIC again after attaching (instances' POST).
            db_api.release_vnics(write.conn, [card.id])
        LOG.debug("deleted VNIC %s (address %s)", card.id, address)

    def _lock_card(self, conn: sa.Connection, context: RequestContext, vnic_id: str) -> Any:
        """The live VNIC joined with its network (``n_`` columns), both rows locked.

        One locking read, so on MariaDB the transaction's snapshot starts
        after it.  Nothing locks a VNIC after its network, so the order
        cannot deadlock.  Another project's VNIC is VnicNotFound.
        """
        card = conn.execute(self._card_and_network, {"vnic": vnic_id}).first()
        if card is None or (not context.is_admin and card.project_id != context.project_id):
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        return card

    def bind(
        self,
        context: RequestContext,
        vnic: str | Vnic,
        *,
        address: str | None = None,
        instance_id: str | None = None,
        host: str | None = None,
        reserved: bool = False,
    ) -> str:
        """Give the VNIC (id, or a VNIC from ``get``) a fixed IP on its network.

        ``host`` is the compute host the address serves (multi_host networks);
        it defaults to this process's host.  With ``reserved``, ``address``
        is a reserved address nobody holds (``Allocator.allocate``).  Returns
        the address.  Idempotent: a bound VNIC keeps (and returns) its
        address.  The VNIC is read again, locked, in the write transaction,
        so a VNIC deleted meanwhile is VnicNotFound rather than bound.
        Raises VnicNotFound, FixedIpQuotaExceeded, FixedIpAlreadyInUse,
        FixedIpNotInNetwork and NoMoreFixedIps.
        """
        vnic_id = vnic if isinstance(vnic, str) else vnic.id
        card, network, address, new = self._bind_once(
            context,
            vnic_id,
            None,
            address=address,
            instance_id=instance_id,
            host=host,
            reserved=reserved,
        )
        if new:
            LOG.debug("bound VNIC %s to %s", card.id, address)
            self._after_bind(card, network, address, host or self.host)
        return address

    def bind_port(
        self,
        context: RequestContext,
        vnic_id: str,
        authorize: Callable[[str], None],
        *,
        address: str | None = None,
        instance_id: str | None = None,
        host: str | None = None,
        reserved: bool = False,
    ) -> Port:
        """``bind`` for the REST API in one transaction; returns the port.

        ``authorize(project_id)`` runs once the VNIC is read and before anything
        is written.  The VNIC and network rows are read with their locks in one
        statement (a locking read, so MariaDB's snapshot starts after it);
        nothing locks a VNIC after a network, so the order cannot deadlock.
        """
        card, network, address, new = self._bind_once(
            context,
            vnic_id,
            authorize,
            address=address,
            instance_id=instance_id,
            host=host,
            reserved=reserved,
        )
        if new:
            self._after_bind(card, network, address, host or self.host)
        return Port(card, address, self.network_info(card, network, address))

    @retry_on_deadlock
    def _bind_once(
        self,
        context: RequestContext,
        vnic_id: str,
        authorize: Callable[[str], None] | None,
        *,
        address: str | None,
        instance_id: str | None,
        host: str | None,
        reserved: bool,
    ) -> tuple[Vnic, Network, str, bool]:
        """The write transaction of a bind: (VNIC, network, address, newly bound)."""
        with self.writes.connection() as write:
            card = self._lock_card(write.conn, context, vnic_id)
            if authorize is not None:
                authorize(card.project_id)
            self.networks.claim_project(write.conn, card.project_id, self.topology.name)
            joined = card._mapping
            network = Network(
                **{field.name: joined[f"n_{field.name}"] for field in dataclasses.fields(Network)}
            )
            locked = LockedNetwork(
                network.id,
                joined["n_first_address"],
                joined["n_last_address"],
                joined["n_next_address"],
                joined["n_next_used"],
                joined["n_free_count"],
                network.uuid,
            )
            bound = write.conn.execute(self._bound, {"vnic": card.id}).scalar()
            if bound is not None:
                return Vnic.from_row(card, network.uuid, str(bound)), network, str(bound), False
            address = self._allocate(
                write.conn,
                card,
                locked,
                address=address,
                instance_id=instance_id,
                host=host,
                reserved=reserved,
            )
            write.changed(card.network_id)
        return Vnic.from_row(card, network.uuid, address), network, address, True

    def _allocate(
        self,
        conn: sa.Connection,
        card: Any,
        locked: LockedNetwork,
        *,
        address: str | None,
        instance_id: str | None,
        host: str | None,
        reserved: bool = False,
    ) -> str:
        """Check the quota and allocate, under the network lock the caller holds."""
        quota = self.topology.quota_fixed_ips
        if quota >= 0 and self._project_ips(conn, card.project_id) >= quota:
            raise FixedIpQuotaExceeded(project_id=card.project_id, quota=quota)
        allocation = self.allocator.allocate(
            conn,
            card.network_id,
            instance_id=instance_id or card.instance_id,
            vnic_id=card.id,
            address=address,
            host=host or self.host,
            locked=locked,
            reserved=reserved,
        )
        return allocation.address

    def _project_ips(self, conn: sa.Connection, project_id: str) -> int:
        fixed, vnic = self.schema.fixed_ip, self.schema.vnic
        query = (
            sa.select(sa.func.count())
            .select_from(fixed)
            .join(vnic, vnic.id == fixed.vnic_id)
            .where(vnic.project_id == project_id, fixed.allocated.is_(True))
        )
        return int(conn.scalar(query) or 0)

    @retry_on_deadlock
    def unbind(self, context: RequestContext, vnic_id: str) -> str | None:
        """Deallocate the VNIC's address; returns it, or None if it was unbound.

        Freed at once under ``Topology.free_on_unbind`` or when it was never
        leased; otherwise held until its DHCP release or the timeout.
        Idempotent.  Raises VnicNotFound.
        """
        with self.writes.session() as write:
            card = self._lock_card(write.conn, context, vnic_id)
            address = write.conn.execute(self._bound, {"vnic": card.id}).scalar()
            if address is None:
                return None
            self._release(write, card, str(address))
        return str(address)

    def _release(self, write: Write, card: Any, address: str) -> None:
        """Deallocate the card's address in the caller's write transaction."""
        for extra in self.extras:
            extra.before_unbind(write, card.network_id, address)
        free_now = self.topology.free_on_unbind
        if self.allocator.deallocate(write.conn, card.network_id, address, free_now=free_now):
            write.changed(card.network_id)

    def _after_bind(self, card: Vnic, network: Network, address: str, host: str) -> None:
        for extra in self.extras:
            extra.after_bind(card, network, address, host)

    def network_info(self, card: Vnic, network: Any, address: str | None) -> NetworkInfo:
        """The VNIC's ``get_network_info``; DHCP topologies name their DHCP server.

        On a multi_host network (with ``dhcp_address``, and unless the
        topology shares one DHCP address) the gateway and DHCP server are the
        address the instance's host claimed.
        """
        if (
            self.dhcp_address is not None
            and network.multi_host
            and not self.topology.share_dhcp_address
        ):
            fixed = self.schema.fixed_ip
            with self.db.transaction() as session:
                host = session.scalar(
                    sa.select(fixed.host).where(
                        fixed.vnic_id == card.id, fixed.allocated.is_(True)
                    )
                )
            own = self.dhcp_address(network, host) if host else None
            own = own or network.dhcp_server or network.gateway
            return info.network_info(card, network, address, dhcp_server=own, gateway=own)
        dhcp_server = (network.dhcp_server or network.gateway) if self.topology.dhcp else None
        return info.network_info(card, network, address, dhcp_server=dhcp_server)

    def port_of(self, card: Vnic) -> Port | None:
        """The VNIC's port (``card`` from ``get``), or None when it is not bound."""
        if card.address is None:
            return None
        return Port(
            card, card.address, self.network_info(card, self.network_of(card), card.address)
        )

    def address_of(self, vnic_id: str) -> str | None:
        """The VNIC's allocated address, or None."""
        with self.db.transaction() as session:
            return session.execute(self._bound, {"vnic": vnic_id}).scalar()

    def count(self, project_id: str) -> dict[str, int]:
        """The project's networks, VNICs and allocated fixed IPs."""
        net, vnic = self.schema.network, self.schema.vnic
        with self.db.transaction() as session:
            conn = session.connection()
            networks = conn.scalar(
                sa.select(sa.func.count()).where(net.project_id == project_id, net.deleted == 0)
            )
            vnics = conn.scalar(
                sa.select(sa.func.count()).where(vnic.project_id == project_id, vnic.deleted == 0)
            )
            ips = self._project_ips(conn, project_id)
        return {"networks": int(networks or 0), "vnics": int(vnics or 0), "fixed_ips": ips}


def _deleted_marker(vnic_id: str) -> int:
    """A non-zero ``deleted`` value for a VNIC, whose id is a uuid, not a number."""
    return int(vnic_id.replace("-", "")[:7], 16) + 1
