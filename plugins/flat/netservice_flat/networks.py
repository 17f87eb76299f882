"""Flat networks: create, list, show, delete, modify, and their fixed IPs.

The one service layer behind the REST API and ``netservice-flat-manage``.
Each public method is one transaction, so a refused request writes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid as uuidlib
from collections.abc import Sequence
from typing import Any

import netaddr
import sqlalchemy as sa
from netservice.core import exceptions, validation
from netservice.core.db.session import Database
from netservice.ipam import planner, ranges
from netservice.ipam.allocator import Allocator
from netservice.ipam.exceptions import FixedIpNotFound, NetworkInUse, NetworkNotFound
from sqlalchemy import exc as sa_exc

from netservice_flat.models import EthernetCard, FlatIpAddress, FlatNetwork

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class FixedIpEntry:
    """One row of ``fixed list``: an address with its network and VNIC."""

    network: FlatNetwork
    ip: FlatIpAddress
    mac: str | None


class FlatNetworks:
    """Networks and addresses of the Flat service."""

    def __init__(self, db: Database, allocator: Allocator, config: Any) -> None:
        self.db = db
        self.allocator = allocator
        self.config = config

    def topology(self) -> planner.Topology:
        return planner.Topology(
            vlan=False,
            default_bridge=self.config.flat_network_bridge,
            default_bridge_interface=self.config.flat_interface,
            default_dns1=self.config.flat_network_dns,
        )

    # --- networks ------------------------------------------------------------

    def create(self, request: planner.NetworkRequest) -> tuple[list[FlatNetwork], list[str]]:
        """Plan and write the networks of one ``network create``; all or none.

        Returns the rows and the planner's warnings.  Raises InvalidInput,
        NetworkRangeTooSmall, CidrConflict (see ``netservice.ipam.planner``).
        Flat ignores the VLAN options, with a warning, as FlatManager did.
        """
        ignored = [
            name
            for name in ("vlan", "vlan_start", "vpn_start")
            if getattr(request, name) not in (None, "")
        ]
        try:
            with self.db.writer() as session:
                conn = session.connection()
                self._lock_for_create(conn)
                used = planner.used_from(
                    conn.execute(
                        sa.select(FlatNetwork.cidr, FlatNetwork.cidr_v6, FlatNetwork.vlan).where(
                            FlatNetwork.deleted == 0
                        )
                    ).all()
                )
                plan = planner.plan_networks(request, self.topology(), used)
                self._check_uuids(session, [n.uuid for n in plan.networks])
                ids = []
                for planned in plan.networks:
                    values = dataclasses.asdict(planned)
                    values["injected"] = bool(self.config.flat_injected)
                    ids.append(self.allocator.insert_network(conn, values, planned.reserved()))
                session.expire_all()
                rows = list(
                    session.scalars(
                        sa.select(FlatNetwork)
                        .where(FlatNetwork.id.in_(ids))
                        .order_by(FlatNetwork.id)
                    )
                )
        except sa_exc.OperationalError as err:
            # MariaDB: two creates on an empty table can deadlock on the gap lock.
            raise exceptions.Conflict(
                reason=f"networks were created concurrently; retry ({err.orig})"
            ) from err
        warnings = list(plan.warnings)
        if ignored:
            warnings.append(f"flat networks have no VLAN: ignored {', '.join(ignored)}")
        for row in rows:
            LOG.info(
                "created flat network %s %s (%s)", row.uuid, row.cidr or row.cidr_v6, row.label
            )
        return rows, warnings

    def _lock_for_create(self, conn: sa.Connection) -> None:
        """Serialise network creation so overlap checks see every committed network."""
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('flat_networks'))"))
        elif conn.dialect.name in ("mysql", "mariadb"):
            conn.execute(sa.select(FlatNetwork.id).with_for_update())
        # SQLite: Database.writer() already holds the database's write lock.

    def _check_uuids(self, session: Any, uuids: Sequence[str]) -> None:
        taken = session.scalar(
            sa.select(FlatNetwork.uuid).where(
                FlatNetwork.uuid.in_(uuids), FlatNetwork.deleted == 0
            )
        )
        if taken:
            raise exceptions.Conflict(reason=f"a network with uuid {taken} already exists")

    def list(self, project_id: str | None = None, *, admin: bool = True) -> list[FlatNetwork]:
        """Live networks by id; non-admins see their project's and unassigned ones."""
        query = sa.select(FlatNetwork).where(FlatNetwork.deleted == 0).order_by(FlatNetwork.id)
        if not admin:
            query = query.where(
                sa.or_(FlatNetwork.project_id.is_(None), FlatNetwork.project_id == project_id)
            )
        with self.db.transaction() as session:
            return list(session.scalars(query))

    def get(self, ref: str) -> FlatNetwork:
        """A live network by uuid, fixed range (cidr) or numeric id.  Raises NetworkNotFound."""
        column: Any
        if _is_uuid(ref):
            column, value = FlatNetwork.uuid, str(uuidlib.UUID(ref))
        elif "/" in ref:
            column, value = FlatNetwork.cidr, _normalised_cidr(ref)
        elif ref.isdigit():
            column, value = FlatNetwork.id, int(ref)
        else:
            raise NetworkNotFound(network=ref)
        with self.db.transaction() as session:
            row = session.scalars(
                sa.select(FlatNetwork).where(column == value, FlatNetwork.deleted == 0)
            ).first()
        if row is None and "/" in ref:
            with self.db.transaction() as session:
                row = session.scalars(
                    sa.select(FlatNetwork).where(
                        FlatNetwork.cidr_v6 == value, FlatNetwork.deleted == 0
                    )
                ).first()
        if row is None:
            raise NetworkNotFound(network=ref)
        return row

    def delete(self, ref: str) -> FlatNetwork:
        """Delete a network with its address rows.

        Refused (NetworkInUse, 409) while it is associated with a project
        ("disassociate first") or while any fixed IP is allocated.  Raises
        NetworkNotFound for an unknown network.
        """
        network = self.get(ref)
        with self.db.writer() as session:
            conn = session.connection()
            self.allocator.lock_network(conn, network.id)
            row = session.get(FlatNetwork, network.id, populate_existing=True)
            if row is None or row.deleted:
                raise NetworkNotFound(network=ref)
            if row.project_id is not None:
                raise NetworkInUse(
                    resource=f"Network {row.uuid}",
                    reason=f"it is associated with project {row.project_id}; disassociate "
                    "first (network modify --disassociate-project)",
                )
            allocated = self.allocator.count_allocated(conn, row.id)
            if allocated:
                raise NetworkInUse(
                    resource=f"Network {row.uuid}",
                    reason=f"{allocated} fixed IP(s) are allocated; deallocate them first",
                )
            cards = session.scalar(
                sa.select(sa.func.count()).where(
                    EthernetCard.network_id == row.id, EthernetCard.deleted == 0
                )
            )
            if cards:
                raise NetworkInUse(
                    resource=f"Network {row.uuid}",
                    reason=f"{cards} VNIC(s) are on it; delete them first",
                )
            self.allocator.delete_network_rows(conn, row.id)
            row.soft_delete(row.id)
        LOG.info("deleted flat network %s", network.uuid)
        return network

    def modify(
        self,
        ref: str,
        *,
        project: str | None = None,
        disassociate_project: bool = False,
        host: str | None = None,
        disassociate_host: bool = False,
    ) -> FlatNetwork:
        """Associate or disassociate the network's project and host.  Idempotent.

        A disassociate flag together with a value is InvalidInput.
        """
        if project is not None and disassociate_project:
            raise exceptions.InvalidInput(
                field="project", reason="cannot be given with --disassociate-project"
            )
        if host is not None and disassociate_host:
            raise exceptions.InvalidInput(
                field="host", reason="cannot be given with --disassociate-host"
            )
        values: dict[str, Any] = {}
        if project is not None:
            values["project_id"] = validation.project_id(project, "project")
        if disassociate_project:
            values["project_id"] = None
        if host is not None:
            values["host"] = validation.identifier(host, "host")
        if disassociate_host:
            values["host"] = None
        network = self.get(ref)
        if not values:
            return network
        with self.db.writer() as session:
            self.allocator.lock_network(session.connection(), network.id)
            session.execute(
                sa.update(FlatNetwork).where(FlatNetwork.id == network.id).values(**values)
            )
        return self.get(str(network.id))

    # --- fixed IPs -------------------------------------------------------------------

    def network_for_address(self, address: str) -> FlatNetwork:
        """The live network whose cidr holds ``address``.  Raises FixedIpNotFound (404)."""
        value = ranges.to_int(address)
        for network in self.list():
            if network.cidr:
                cidr = netaddr.IPNetwork(network.cidr)
                if cidr.first <= value <= cidr.last:
                    return network
        raise FixedIpNotFound(address=address)

    def set_reserved(self, address: str, reserved: bool) -> FlatIpAddress:
        """``fixed reserve|unreserve``.  Raises FixedIpNotFound outside every network."""
        network = self.network_for_address(address)
        with self.db.writer() as session:
            self.allocator.set_reserved(session.connection(), network.id, address, reserved)
        return self.get_fixed_ip_by_address(address)

    def get_fixed_ip_by_address(self, address: str) -> FlatIpAddress:
        """The address's row; a never-used address of a network is shown unallocated."""
        network = self.network_for_address(address)
        value = ranges.to_int(address)
        with self.db.transaction() as session:
            row = session.scalars(
                sa.select(FlatIpAddress).where(
                    FlatIpAddress.address_int == value, FlatIpAddress.network_id == network.id
                )
            ).first()
        if row is None:
            row = FlatIpAddress(
                network_id=network.id,
                address=ranges.to_text(value),
                address_int=value,
                allocated=False,
                leased=False,
                reserved=False,
            )
        return row

    def get_fixed_ip(self, fixed_ip_id: int) -> FlatIpAddress:
        with self.db.transaction() as session:
            row = session.get(FlatIpAddress, fixed_ip_id)
        if row is None:
            raise exceptions.NotFound(f"Fixed IP {fixed_ip_id} could not be found.")
        return row

    def fixed_list(self, host: str | None = None) -> list[FixedIpEntry]:
        """Every address with a row (used or reserved), by network and address."""
        query = (
            sa.select(FlatNetwork, FlatIpAddress, EthernetCard.mac)
            .join(FlatIpAddress, FlatIpAddress.network_id == FlatNetwork.id)
            .outerjoin(EthernetCard, EthernetCard.id == FlatIpAddress.vnic_id)
            .where(FlatNetwork.deleted == 0)
            .order_by(FlatNetwork.id, FlatIpAddress.address_int)
        )
        if host is not None:
            query = query.where(sa.or_(FlatIpAddress.host == host, FlatNetwork.host == host))
        with self.db.transaction() as session:
            return [FixedIpEntry(n, ip, mac) for n, ip, mac in session.execute(query)]

    def validate_networks(self, requested: Sequence[tuple[str, str | None]]) -> None:
        """Check ``(network uuid, address or None)`` pairs before a boot.

        Raises NetworkNotFound, FixedIpNotInNetwork (400) or
        FixedIpAlreadyInUse (409); returns None when all would work.
        """
        from netservice.ipam.exceptions import FixedIpAlreadyInUse, FixedIpNotInNetwork  # noqa: PLC0415

        for ref, address in requested:
            network = self.get(ref)
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
