"""Fixed IP allocation on a plugin's network and fixed IP tables.

Every call runs inside the caller's write transaction (``Database.write_connection()``,
or ``Database.writer()`` passing ``session.connection()``) and starts by locking the network row
(``SELECT ... FOR UPDATE``; SQLite's ``BEGIN IMMEDIATE`` already serialises
writers).  All changes to one network's addresses are therefore serialised
by that one lock, taken first and always in the same order, so there is no
guessing and no retry on unique-key errors.  The lock must be the first
statement of the transaction: MariaDB's REPEATABLE READ snapshot is taken at
the first plain read, and it must not predate the lock.

Rows exist only for addresses that are or were used or reserved.  A row is
free to reuse exactly when ``freed_at`` is set; the oldest ``freed_at`` goes
first.  Never-used addresses come from the network's ``next_address``
cursor, skipping the few addresses above it that already have rows, so
allocation costs the same at the start or the end of a /16.

The network row's own state (the lock, the cursor and its fence, the free
count) is kept by ``netservice.ipam.cursor``; this module owns the address
rows.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.ipam import cursor, ranges
from netservice.ipam.cursor import GAP_BATCH, LockedNetwork, NetworkCursor
from netservice.ipam.exceptions import (
    FixedIpAlreadyInUse,
    FixedIpNotInNetwork,
    NoMoreFixedIps,
)

__all__ = ["GAP_BATCH", "Allocation", "Allocator", "LockedNetwork"]

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Allocation:
    id: int
    address: str
    network_id: int


class Allocator:
    """Address operations on one plugin's ``networks`` and ``fixed_ips`` tables."""

    @classmethod
    def for_models(cls, network: type[Any], fixed_ip: type[Any]) -> Allocator:
        """The allocator over two declarative models' tables.

        SQLAlchemy types a model's ``__table__`` as any FROM clause; a plugin's
        models are mapped to plain tables, which this checks (TypeError if not).
        """
        networks, fixed_ips = network.__table__, fixed_ip.__table__
        for model, table in ((network, networks), (fixed_ip, fixed_ips)):
            if not isinstance(table, sa.Table):
                raise TypeError(f"{model.__name__} is not mapped to a table")
        return cls(networks, fixed_ips)

    def __init__(self, networks: sa.Table, fixed_ips: sa.Table) -> None:
        self.networks = networks
        self.fixed_ips = fixed_ips
        self._cursor = NetworkCursor(networks, fixed_ips)
        f = fixed_ips.c
        self._oldest_free = (
            sa.select(f.id, f.address)
            .where(f.network_id == sa.bindparam("nid"), f.freed_at.is_not(None))
            .order_by(f.freed_at, f.id)
            .limit(1)
        )
        self._by_address = sa.select(fixed_ips).where(
            f.address_int == sa.bindparam("a"), f.network_id == sa.bindparam("nid")
        )
        # Prebuilt statements: building .values() per call costs more than the
        # statement itself on SQLite.
        self._insert_row = sa.insert(fixed_ips)

    # --- networks -----------------------------------------------------------

    def lock_network(self, conn: sa.Connection, network_id: int) -> LockedNetwork:
        """Lock the network row until the transaction ends.  Raises NetworkNotFound."""
        return self._cursor.lock(conn, network_id)

    def insert_network(
        self, conn: sa.Connection, values: dict[str, Any], reserved: Iterable[int]
    ) -> int:
        """Write a planned network and its reserved addresses; returns its id.

        ``values`` are the network's columns (``PlannedNetwork`` fields and the
        plugin's own); the allocation range is derived here.  The row count is
        one plus the reserved addresses, whatever the network's size.
        """
        values = dict(values)
        alloc = None
        if values.get("cidr"):
            alloc = ranges.allocation_range(
                values["cidr"],
                fixed_cidr=values.get("fixed_cidr"),
                allowed_start=values.get("allowed_start"),
                allowed_end=values.get("allowed_end"),
            )
        now = utcnow()
        reserved = sorted(reserved)
        values.update(cursor.initial_state(alloc, reserved), created_at=now, deleted=0)
        values.setdefault("multi_host", False)
        values.setdefault("injected", False)
        network_id = _pk(conn.execute(sa.insert(self.networks).values(**values)))
        rows = [self._row(network_id, a, reserved=True, now=now) for a in reserved]
        if rows:
            conn.execute(sa.insert(self.fixed_ips), rows)
        return network_id

    def delete_network_rows(self, conn: sa.Connection, network_id: int) -> int:
        """Drop every address row of a locked network; returns how many."""
        result = conn.execute(
            sa.delete(self.fixed_ips).where(self.fixed_ips.c.network_id == network_id)
        )
        return int(result.rowcount or 0)

    def count_allocated(self, conn: sa.Connection, network_id: int) -> int:
        f = self.fixed_ips.c
        query = sa.select(sa.func.count()).where(f.network_id == network_id, f.allocated.is_(True))
        return int(conn.scalar(query) or 0)

    # --- allocate / deallocate -------------------------------------------------

    def allocate(
        self,
        conn: sa.Connection,
        network_id: int,
        *,
        instance_id: str | None = None,
        vnic_id: str | None = None,
        address: str | None = None,
        host: str | None = None,
        locked: LockedNetwork | None = None,
        reserved: bool = False,
    ) -> Allocation:
        """Allocate ``address``, or the longest-free address, or a never-used one.

        Raises FixedIpNotInNetwork (400) for an address outside the network's
        allocatable range, FixedIpAlreadyInUse (409) for one that is taken or
        reserved, and NoMoreFixedIps (409) when nothing is left.  With
        ``reserved``, ``address`` must be a reserved address that no one
        holds, and it stays reserved once it is given back (VLAN's VPN
        instance takes its network's ``vpn_private_address`` this way).  Pass
        ``locked`` when the caller already holds the lock.  Without it, this
        must be the transaction's first statement (see the module docstring).
        """
        values = {
            "allocated": True,
            "instance_id": instance_id,
            "vnic_id": vnic_id,
            "host": host,
            "freed_at": None,
        }
        if locked is None and address is None and conn.dialect.update_returning:
            # MariaDB has no UPDATE ... RETURNING and takes the path below.
            value = self._cursor.claim(conn, network_id)
            if value is not None:
                new_id = self._insert(conn, network_id, value, values)
                return Allocation(new_id, ranges.to_text(value), network_id)
        net = locked or self.lock_network(conn, network_id)
        if reserved:
            if address is None:
                raise ValueError("reserved=True needs the address")
            return self._allocate_reserved(conn, net, address, values)
        if address is not None:
            return self._allocate_address(conn, net, address, values)
        if net.free_count > 0:
            row = conn.execute(self._oldest_free, {"nid": net.id}).first()
            if row is not None:
                self._update(conn, row[0], values)
                self._cursor.count_free(conn, net.id, net.free_count - 1)
                return Allocation(row[0], row[1], net.id)
            LOG.warning("network %s counted %s free rows but had none", net.id, net.free_count)
            self._cursor.count_free(conn, net.id, 0)
        candidate, fence = self._cursor.next_unused(conn, net)
        if candidate is None:
            raise NoMoreFixedIps(network=net.name)
        new_id = self._insert(conn, net.id, candidate, values)
        self._cursor.advance(conn, net.id, candidate + 1, fence)
        return Allocation(new_id, ranges.to_text(candidate), net.id)

    def _allocate_address(
        self, conn: sa.Connection, net: LockedNetwork, address: str, values: dict[str, Any]
    ) -> Allocation:
        wanted = ranges.to_int(address)
        alloc = net.range
        if alloc is None or wanted not in alloc:
            first, last = alloc.describe() if alloc else ("-", "-")
            raise FixedIpNotInNetwork(address=address, network=net.name, first=first, last=last)
        row = conn.execute(self._by_address, {"a": wanted, "nid": net.id}).first()
        if row is None:
            new_id = self._insert(conn, net.id, wanted, values)
            self._cursor.note_row(conn, net, wanted)
            return Allocation(new_id, ranges.to_text(wanted), net.id)
        if row.freed_at is None:
            raise FixedIpAlreadyInUse(address=address, network=net.name)
        self._update(conn, row.id, values)
        self._cursor.set_network(conn, net.id, free_count=net.free_count - 1)
        return Allocation(row.id, row.address, net.id)

    def _allocate_reserved(
        self, conn: sa.Connection, net: LockedNetwork, address: str, values: dict[str, Any]
    ) -> Allocation:
        """Hand out a reserved address nobody holds; it keeps its reserved flag."""
        row = conn.execute(self._by_address, {"a": ranges.to_int(address), "nid": net.id}).first()
        if row is None or not row.reserved:
            raise exceptions.InvalidInput(
                field="address",
                reason=f"{address} is not a reserved address of network {net.name}",
            )
        if row.allocated or row.leased or row.vnic_id is not None:
            raise FixedIpAlreadyInUse(address=address, network=net.name)
        # freed_at stays None: a reserved row is never on the free list.
        self._update(conn, row.id, values)
        return Allocation(row.id, row.address, net.id)

    def deallocate(
        self, conn: sa.Connection, network_id: int, address: str, *, free_now: bool
    ) -> bool:
        """Take ``address`` back from its instance.

        With ``free_now`` (Flat), or when it was never leased, the address is
        free at once.  Otherwise (DHCP topologies) it stays held, with its
        VNIC, until ``release`` or ``free_expired``.  Idempotent: returns
        False when the address was not allocated.
        """
        net = self.lock_network(conn, network_id)
        row = conn.execute(self._by_address, {"a": ranges.to_int(address), "nid": net.id}).first()
        if row is None or not row.allocated:
            return False
        if free_now or not row.leased:
            self._free(conn, net, [(row.id, row.reserved, row.freed_at)])
        else:
            self._update(conn, row.id, {"allocated": False})
        return True

    # --- DHCP life cycle ----------------------------------------------------------

    def lease(self, conn: sa.Connection, network_id: int, address: str) -> bool:
        """Mark the address leased (dnsmasq add/old).  Returns whether it is allocated.

        A lease on an unallocated address is recorded anyway, as nova did, and
        the caller warns.  Unknown addresses are ignored (returns False).
        """
        net = self.lock_network(conn, network_id)
        row = conn.execute(self._by_address, {"a": ranges.to_int(address), "nid": net.id}).first()
        if row is None:
            return False
        values: dict[str, Any] = {"leased": True}
        if row.freed_at is not None:
            values["freed_at"] = None
            self._cursor.set_network(conn, net.id, free_count=net.free_count - 1)
        self._update(conn, row.id, values)
        return bool(row.allocated)

    def release(
        self, conn: sa.Connection, network_id: int, address: str, *, vnic_id: str | None = None
    ) -> bool:
        """End the lease (dnsmasq del); free the address if it is not allocated.

        With ``vnic_id`` the call is ignored when the address now belongs to
        another VNIC.  Idempotent; returns whether the address was freed.
        """
        net = self.lock_network(conn, network_id)
        row = conn.execute(self._by_address, {"a": ranges.to_int(address), "nid": net.id}).first()
        if row is None or (vnic_id is not None and row.vnic_id not in (None, vnic_id)):
            return False
        if row.allocated:
            self._update(conn, row.id, {"leased": False})
            return False
        return self._free(conn, net, [(row.id, row.reserved, row.freed_at)]) > 0

    def free_expired(self, conn: sa.Connection, network_id: int, before: datetime.datetime) -> int:
        """Free addresses deallocated but still held since before ``before``.

        The ``fixed_ip_disassociate_timeout`` sweep; returns how many were freed.
        """
        net = self.lock_network(conn, network_id)
        f = self.fixed_ips.c
        rows = conn.execute(
            sa.select(self.fixed_ips).where(
                f.network_id == net.id,
                f.allocated.is_(False),
                f.freed_at.is_(None),
                f.vnic_id.is_not(None),
                f.updated_at < before,
            )
        ).all()
        return self._free(conn, net, [(r.id, r.reserved, r.freed_at) for r in rows])

    # --- reserve ----------------------------------------------------------------

    def set_reserved(
        self, conn: sa.Connection, network_id: int, address: str, reserved: bool
    ) -> None:
        """Set or clear the reserved flag of an address of the network.  Idempotent.

        Reserving an unused address writes its row; unreserving a free one
        makes it allocatable again.  An allocated address keeps its instance.
        """
        net = self.lock_network(conn, network_id)
        value = ranges.to_int(address)
        row = conn.execute(self._by_address, {"a": value, "nid": net.id}).first()
        if row is None:
            if reserved:
                conn.execute(
                    self._insert_row, self._row(net.id, value, reserved=True, now=utcnow())
                )
                self._cursor.note_row(conn, net, value)
            return
        if reserved:
            values: dict[str, Any] = {"reserved": True, "freed_at": None}
            if row.freed_at is not None:
                self._cursor.set_network(conn, net.id, free_count=net.free_count - 1)
            self._update(conn, row.id, values)
        elif row.reserved:
            self._update(conn, row.id, {"reserved": False})
            if not row.allocated and not row.leased and row.vnic_id is None:
                self._free(conn, net, [(row.id, False, row.freed_at)])

    # --- helpers --------------------------------------------------------------------

    def _free(
        self,
        conn: sa.Connection,
        net: LockedNetwork,
        rows: Iterable[tuple[int, bool, datetime.datetime | None]],
    ) -> int:
        """Disassociate ``(id, reserved, freed_at)`` rows; unreserved ones join the free list.

        Returns how many joined it.
        """
        now = utcnow()
        freed = 0
        for row_id, reserved, freed_at in rows:
            values: dict[str, Any] = {
                "allocated": False,
                "leased": False,
                "instance_id": None,
                "vnic_id": None,
                "freed_at": None if reserved else now,
            }
            self._update(conn, row_id, values)
            if not reserved and freed_at is None:
                freed += 1
        if freed:
            self._cursor.set_network(conn, net.id, free_count=net.free_count + freed)
        return freed

    def _row(
        self, network_id: int, value: int, *, reserved: bool, now: datetime.datetime
    ) -> dict[str, Any]:
        return {
            "network_id": network_id,
            "address": ranges.to_text(value),
            "address_int": value,
            "instance_id": None,
            "vnic_id": None,
            "allocated": False,
            "leased": False,
            "reserved": reserved,
            "host": None,
            "freed_at": None,
            "created_at": now,
        }

    def _insert(
        self, conn: sa.Connection, network_id: int, value: int, values: dict[str, Any]
    ) -> int:
        row = self._row(network_id, value, reserved=False, now=utcnow())
        row.update(values)
        return _pk(conn.execute(self._insert_row, row))

    def _update(self, conn: sa.Connection, row_id: int, values: dict[str, Any]) -> None:
        values = {**values, "updated_at": utcnow()}
        conn.execute(
            sa.update(self.fixed_ips).where(self.fixed_ips.c.id == row_id).values(**values)
        )


def _pk(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer key
        raise RuntimeError("the database returned no primary key")
    return int(key[0])
