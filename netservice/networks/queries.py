"""Read-only questions about a plugin's networks and their fixed IPs.

``NetworkQueries`` is the base of ``netservice.networks.networks.Networks``:
lookups by uuid, cidr or id, the ``fixed list`` rows, and the checks
``validate_networks`` makes before a boot.  Every method is one short read,
and returns read models (``netservice.networks.domain``), never rows.
"""

from __future__ import annotations

import builtins
import dataclasses
import uuid as uuidlib
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa

from netservice.core import exceptions, validation
from netservice.core.db.session import Database
from netservice.core.serving import ProjectServices
from netservice.ipam import ranges
from netservice.ipam.exceptions import (
    FixedIpAlreadyInUse,
    FixedIpNotFound,
    FixedIpNotInNetwork,
    NetworkNotFound,
)
from netservice.networks.domain import FixedIp, Network
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology


@dataclasses.dataclass(frozen=True)
class FixedIpEntry:
    """One row of ``fixed list``: an address with its network and VNIC's MAC."""

    network: Network
    ip: FixedIp
    mac: str | None


class NetworkQueries:
    """Lookups on one plugin's ``networks`` and ``fixed_ips`` tables."""

    def __init__(self, db: Database, schema: Schema, topology: Topology) -> None:
        self.db = db
        self.schema = schema
        self.topology = topology
        # Set by the plugin from PluginContext.projects; None checks nothing.
        self.projects: ProjectServices | None = None

    def claim_project(self, conn: sa.Connection, project_id: str | None, service: str) -> None:
        """In a write transaction: the project is served by ``service``, and stays so.

        Takes the project's shared lock until the transaction ends
        (``netservice.core.serving``).  Raises WrongNetworkService (409).
        """
        if self.projects is not None and project_id is not None:
            self.projects.claim(conn, project_id, service)

    def read_model(self, row: Any) -> Network:
        """The read model of one of the plugin's network rows (its declaration's class)."""
        return self.topology.declaration.from_row(row)

    def read_models(self, query: sa.Select[Any]) -> builtins.list[Network]:
        """The read models of the network rows ``query`` selects."""
        with self.db.transaction() as session:
            return [self.read_model(row) for row in session.scalars(query)]

    def list(self, project_id: str | None = None, *, admin: bool = True) -> builtins.list[Network]:
        """Live networks by id; non-admins see their project's and unassigned ones."""
        net = self.schema.network
        query = sa.select(net).where(net.deleted == 0).order_by(net.id)
        if not admin:
            query = query.where(sa.or_(net.project_id.is_(None), net.project_id == project_id))
        return self.read_models(query)

    def get(self, ref: str) -> Network:
        """A live network by uuid, fixed range (cidr, v4 or v6) or numeric id.

        Raises NetworkNotFound, or InvalidInput for a malformed cidr.
        """
        return self.read_model(self._row(ref))

    def _row(self, ref: str) -> Any:
        """``get``'s row, with the allocation cursor the read model leaves out."""
        net = self.schema.network
        if _is_uuid(ref):
            wanted = [net.uuid == str(uuidlib.UUID(ref))]
        elif "/" in ref:
            cidr = _normalised_cidr(ref)
            wanted = [net.cidr == cidr, net.cidr_v6 == cidr]
        elif validation.db_id(ref) is not None:
            wanted = [net.id == validation.db_id(ref)]
        else:
            raise NetworkNotFound(network=ref)
        with self.db.transaction() as session:
            for condition in wanted:
                row = session.scalars(sa.select(net).where(condition, net.deleted == 0)).first()
                if row is not None:
                    return row
        raise NetworkNotFound(network=ref)

    def network_for_address(self, address: str) -> Network:
        """The live network whose cidr holds ``address``.  Raises FixedIpNotFound (404)."""
        value = ranges.to_int(address)
        for network in self.list():
            if network.cidr:
                cidr = netaddr.IPNetwork(network.cidr)
                if cidr.first <= value <= cidr.last:
                    return network
        raise FixedIpNotFound(address=address)

    def get_fixed_ip_by_address(self, address: str) -> FixedIp:
        """The address; a never-used address of a network is shown unallocated (id None).

        Raises FixedIpNotFound outside every network.
        """
        fixed = self.schema.fixed_ip
        network = self.network_for_address(address)
        value = ranges.to_int(address)
        with self.db.transaction() as session:
            row = session.scalars(
                sa.select(fixed).where(fixed.address_int == value, fixed.network_id == network.id)
            ).first()
            if row is not None:
                return FixedIp.from_row(row)
        return FixedIp.unused(network.id, ranges.to_text(value))

    def get_fixed_ip(self, fixed_ip_id: int) -> FixedIp:
        """A used or reserved fixed IP by id.  Raises NotFound."""
        with self.db.transaction() as session:
            row = session.get(self.schema.fixed_ip, fixed_ip_id)
            if row is not None:
                return FixedIp.from_row(row)
        raise exceptions.NotFound(f"Fixed IP {fixed_ip_id} could not be found.")

    def fixed_list(self, host: str | None = None) -> builtins.list[FixedIpEntry]:
        """Every address with a row (used or reserved), by network and address."""
        net, fixed, vnic = self.schema.network, self.schema.fixed_ip, self.schema.vnic
        query = (
            sa.select(net, fixed, vnic.mac)
            .join(fixed, fixed.network_id == net.id)
            .outerjoin(vnic, vnic.id == fixed.vnic_id)
            .where(net.deleted == 0)
            .order_by(net.id, fixed.address_int)
        )
        if host is not None:
            query = query.where(sa.or_(fixed.host == host, net.host == host))
        with self.db.transaction() as session:
            return [
                FixedIpEntry(self.read_model(n), FixedIp.from_row(ip), mac)
                for n, ip, mac in session.execute(query)
            ]

    def validate_networks(self, requested: Sequence[tuple[str, str | None]]) -> None:
        """Check ``(network uuid, address or None)`` pairs before a boot.

        Raises NetworkNotFound, FixedIpNotInNetwork (400) or
        FixedIpAlreadyInUse (409); returns None when all would work.
        """
        for ref, address in requested:
            network = self._row(ref)
            if address is None:
                continue
            value = ranges.to_int(address)
            first, last = network.first_address, network.last_address
            if first is None or last is None or not first <= value <= last:
                lo = ranges.to_text(first) if first is not None else "-"
                hi = ranges.to_text(last) if last is not None else "-"
                raise FixedIpNotInNetwork(address=address, network=network.uuid, first=lo, last=hi)
            row = self.get_fixed_ip_by_address(address)
            if row.id is not None and row.freed_at is None:
                raise FixedIpAlreadyInUse(address=address, network=network.uuid)


def _is_uuid(value: str) -> bool:
    try:
        uuidlib.UUID(value)
    except ValueError:
        return False
    return "-" in value


def _normalised_cidr(value: str) -> str:
    try:
        return str(netaddr.IPNetwork(value).cidr)
    except (netaddr.AddrFormatError, ValueError) as err:
        raise exceptions.InvalidInput(
            field="fixed_range", reason=f"{value!r} is not a CIDR"
        ) from err
