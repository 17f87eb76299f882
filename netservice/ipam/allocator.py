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
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from netservice.core.db.model_base import utcnow
from netservice.ipam import ranges
from netservice.ipam.exceptions import (
    FixedIpAlreadyInUse,
    FixedIpNotInNetwork,
    NetworkNotFound,
    NoMoreFixedIps,
)

LOG = logging.getLogger(__name__)

GAP_BATCH = 64  # rows read per step when looking for a never-used address


@dataclasses.dataclass(frozen=True)
class LockedNetwork:
    """The allocation state of a network whose row this transaction holds locked."""

    id: int
    first: int | None
    last: int | None
    next: int | None
    next_used: int | None
    free_count: int

    @property
    def range(self) -> ranges.AllocationRange | None:
        if self.first is None or self.last is None:
            return None
        return ranges.AllocationRange(self.first, self.last)


@dataclasses.dataclass(frozen=True)
class Allocation:
    id: int
    address: str
    network_id: int


class Allocator:
    """Address operations on one plugin's ``networks`` and ``fixed_ips`` tables."""

    def __init__(self, networks: sa.Table, fixed_ips: sa.Table) -> None:
        self.networks = networks
        self.fixed_ips = fixed_ips
        n, f = networks.c, fixed_ips.c
        self._lock = (
            sa.select(
                n.id, n.first_address, n.last_address, n.next_address, n.next_used, n.free_count
            )
            .where(n.id == sa.bindparam("nid"), n.deleted == 0)
            .with_for_update()
        )
        self._oldest_free = (
            sa.select(f.id, f.address)
            .where(f.network_id == sa.bindparam("nid"), f.freed_at.is_not(None))
            .order_by(f.freed_at, f.id)
            .limit(1)
        )
        self._used_from = (
            sa.select(f.address_int)
            # No network_id filter: a plugin's live networks never overlap, so the
            # range holds only this network's rows, and the (address_int, ...)
            # index serves the scan without the planner reaching for another.
            .where(f.address_int >= sa.bindparam("lo"), f.address_int <= sa.bindparam("hi"))
            .order_by(f.address_int)
            .limit(GAP_BATCH)
        )
        self._by_address = sa.select(fixed_ips).where(
            f.address_int == sa.bindparam("a"), f.network_id == sa.bindparam("nid")
        )
        # Prebuilt statements: building .values() per call costs more than the
        # statement itself on SQLite.
        self._insert_row = sa.insert(fixed_ips)
        self._advance = (
            sa.update(networks)
            .where(n.id == sa.bindparam("b_nid"))
            .values(next_address=sa.bindparam("b_next"), next_used=sa.bindparam("b_used"))
        )
        # The common case in one statement where the engine can: no free row
        # to reuse and the cursor below the fence, so UPDATE ... RETURNING both
        # takes the row lock and claims the cursor's address.
        self._claim_cursor = (
            sa.update(networks)
            .where(
                n.id == sa.bindparam("b_nid"),
                n.deleted == 0,
                n.free_count == 0,
                n.next_address < n.next_used,
                n.next_address <= n.last_address,
            )
            .values(next_address=n.next_address + 1)
            .returning(n.next_address)
        )
        self._count_free = (
            sa.update(networks)
            .where(n.id == sa.bindparam("b_nid"))
            .values(free_count=sa.bindparam("b_free"))
        )

    # --- networks -----------------------------------------------------------

    def lock_network(self, conn: sa.Connection, network_id: int) -> LockedNetwork:
        """Lock the network row until the transaction ends.  Raises NetworkNotFound."""
        row = conn.execute(self._lock, {"nid": network_id}).first()
        if row is None:
            raise NetworkNotFound(network=network_id)
        return LockedNetwork(row[0], row[1], row[2], row[3], row[4], row[5])

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
        fence = None
        if alloc:
            fence = next((r for r in reserved if r >= alloc.first), alloc.last + 1)
        values.update(
            first_address=alloc.first if alloc else None,
            last_address=alloc.last if alloc else None,
            next_address=alloc.first if alloc else None,
            next_used=fence,
            free_count=0,
            created_at=now,
            deleted=0,
        )
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
    ) -> Allocation:
        """Allocate ``address``, or the longest-free address, or a never-used one.

        Raises FixedIpNotInNetwork (400) for an address outside the network's
        allocatable range, FixedIpAlreadyInUse (409) for one that is taken or
        reserved, and NoMoreFixedIps (409) when nothing is left.  Pass
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
            claimed = conn.execute(self._claim_cursor, {"b_nid": network_id}).scalar()
            if claimed is not None:
                value = int(claimed) - 1
                new_id = self._insert(conn, network_id, value, values)
                return Allocation(new_id, ranges.to_text(value), network_id)
        net = locked or self.lock_network(conn, network_id)
        if address is not None:
            return self._allocate_address(conn, net, address, values)
        if net.free_count > 0:
            row = conn.execute(self._oldest_free, {"nid": net.id}).first()
            if row is not None:
                self._update(conn, row[0], values)
                conn.execute(self._count_free, {"b_nid": net.id, "b_free": net.free_count - 1})
                return Allocation(row[0], row[1], net.id)
            LOG.warning("network %s counted %s free rows but had none", net.id, net.free_count)
            conn.execute(self._count_free, {"b_nid": net.id, "b_free": 0})
        candidate, fence = self._next_unused(conn, net)
        if candidate is None:
            raise NoMoreFixedIps(network=net.id)
        new_id = self._insert(conn, net.id, candidate, values)
        conn.execute(self._advance, {"b_nid": net.id, "b_next": candidate + 1, "b_used": fence})
        return Allocation(new_id, ranges.to_text(candidate), net.id)

    def _allocate_address(
        self, conn: sa.Connection, net: LockedNetwork, address: str, values: dict[str, Any]
    ) -> Allocation:
        wanted = ranges.to_int(address)
        alloc = net.range
        if alloc is None or wanted not in alloc:
            first, last = alloc.describe() if alloc else ("-", "-")
            raise FixedIpNotInNetwork(address=address, network=net.id, first=first, last=last)
        row = conn.execute(self._by_address, {"a": wanted, "nid": net.id}).first()
        if row is None:
            new_id = self._insert(conn, net.id, wanted, values)
            self._note_row(conn, net, wanted)
            return Allocation(new_id, ranges.to_text(wanted), net.id)
        if row.freed_at is None:
            raise FixedIpAlreadyInUse(address=address, network=net.id)
        self._update(conn, row.id, values)
        self._set_network(conn, net.id, free_count=net.free_count - 1)
        return Allocation(row.id, row.address, net.id)

    def _next_unused(self, conn: sa.Connection, net: LockedNetwork) -> tuple[int | None, int]:
        """The lowest address at or above the cursor without a row, and the new fence.

        Below the fence (``next_used``) no query is needed; past it, scan the
        rows from the cursor for the first gap.  Returns ``(None, fence)`` when
        the range is used up.
        """
        if net.next is None or net.last is None:
            return None, 0
        candidate = net.next
        if net.next_used is not None and candidate < net.next_used:
            return (candidate, net.next_used) if candidate <= net.last else (None, net.next_used)
        while candidate <= net.last:
            used = conn.execute(self._used_from, {"lo": candidate, "hi": net.last}).scalars().all()
            for value in used:
                if value != candidate:
                    return candidate, value
                candidate += 1
            if len(used) < GAP_BATCH:
                break
        if candidate > net.last:
            return None, net.last + 1
        return candidate, net.last + 1

    def _note_row(self, conn: sa.Connection, net: LockedNetwork, value: int) -> None:
        """Keep the cursor and fence right after a row appears at ``value``."""
        if net.next is None or value < net.next:
            return
        fence = min(value, net.next_used) if net.next_used is not None else value
        if value == net.next:
            # The cursor's own address is taken: let the next allocation scan.
            conn.execute(self._advance, {"b_nid": net.id, "b_next": value, "b_used": value})
        elif fence != net.next_used:
            conn.execute(self._advance, {"b_nid": net.id, "b_next": net.next, "b_used": fence})

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
            self._set_network(conn, net.id, free_count=net.free_count - 1)
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
                self._note_row(conn, net, value)
            return
        if reserved:
            values: dict[str, Any] = {"reserved": True, "freed_at": None}
            if row.freed_at is not None:
                self._set_network(conn, net.id, free_count=net.free_count - 1)
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
            self._set_network(conn, net.id, free_count=net.free_count + freed)
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

    def _set_network(self, conn: sa.Connection, network_id: int, **values: Any) -> None:
        conn.execute(
            sa.update(self.networks).where(self.networks.c.id == network_id).values(**values)
        )


def _pk(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer key
        raise RuntimeError("the database returned no primary key")
    return int(key[0])
