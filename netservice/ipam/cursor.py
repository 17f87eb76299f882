"""The allocation state a network row carries, behind its row lock.

A network row holds its allocatable range (``first_address``..``last_address``),
a cursor (``next_address``) at the lowest never-used address, a fence
(``next_used``) at the lowest row above the cursor, so that addresses below
it need no query, and the count of free rows waiting to be reused.
``NetworkCursor`` takes the row lock, reads that state as a ``LockedNetwork``,
and keeps the cursor, fence and count right as ``netservice.ipam.allocator``
adds and frees address rows.  It runs in the caller's transaction and never
commits.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from netservice.ipam import ranges
from netservice.ipam.exceptions import NetworkNotFound

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
    # The public id, for messages: clients never see the integer ``id``.
    uuid: str | None = None

    @property
    def name(self) -> str:
        return self.uuid or str(self.id)

    @property
    def range(self) -> ranges.AllocationRange | None:
        if self.first is None or self.last is None:
            return None
        return ranges.AllocationRange(self.first, self.last)


def initial_state(alloc: ranges.AllocationRange | None, reserved: list[int]) -> dict[str, Any]:
    """The cursor columns of a new network with the sorted ``reserved`` rows.

    The cursor starts at the first allocatable address and the fence at the
    first reserved address at or above it.
    """
    fence = None
    if alloc:
        fence = next((r for r in reserved if r >= alloc.first), alloc.last + 1)
    return {
        "first_address": alloc.first if alloc else None,
        "last_address": alloc.last if alloc else None,
        "next_address": alloc.first if alloc else None,
        "next_used": fence,
        "free_count": 0,
    }


class NetworkCursor:
    """Lock, cursor, fence and free count of one plugin's ``networks`` rows."""

    def __init__(self, networks: sa.Table, fixed_ips: sa.Table) -> None:
        self.networks = networks
        n, f = networks.c, fixed_ips.c
        self._lock = (
            sa.select(
                n.id,
                n.first_address,
                n.last_address,
                n.next_address,
                n.next_used,
                n.free_count,
                n.uuid,
            )
            .where(n.id == sa.bindparam("nid"), n.deleted == 0)
            .with_for_update()
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
        # Prebuilt statements: building .values() per call costs more than the
        # statement itself on SQLite.
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

    def lock(self, conn: sa.Connection, network_id: int) -> LockedNetwork:
        """Lock the network row until the transaction ends.  Raises NetworkNotFound."""
        row = conn.execute(self._lock, {"nid": network_id}).first()
        if row is None:
            raise NetworkNotFound(network=network_id)
        return LockedNetwork(row[0], row[1], row[2], row[3], row[4], row[5], row[6])

    def claim(self, conn: sa.Connection, network_id: int) -> int | None:
        """Lock the row and take the cursor's address in one statement, if it can.

        Needs ``UPDATE ... RETURNING``.  Returns the address claimed, or None
        when the common case does not apply (free rows waiting, the cursor at
        the fence, the range used up, or no such network) and nothing changed.
        """
        claimed = conn.execute(self._claim_cursor, {"b_nid": network_id}).scalar()
        return None if claimed is None else int(claimed) - 1

    def next_unused(self, conn: sa.Connection, net: LockedNetwork) -> tuple[int | None, int]:
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

    def advance(self, conn: sa.Connection, network_id: int, next_address: int, fence: int) -> None:
        """Move the cursor to ``next_address`` and the fence to ``fence``."""
        conn.execute(self._advance, {"b_nid": network_id, "b_next": next_address, "b_used": fence})

    def note_row(self, conn: sa.Connection, net: LockedNetwork, value: int) -> None:
        """Keep the cursor and fence right after a row appears at ``value``."""
        if net.next is None or value < net.next:
            return
        fence = min(value, net.next_used) if net.next_used is not None else value
        if value == net.next:
            # The cursor's own address is taken: let the next allocation scan.
            self.advance(conn, net.id, value, value)
        elif fence != net.next_used:
            self.advance(conn, net.id, net.next, fence)

    def count_free(self, conn: sa.Connection, network_id: int, free_count: int) -> None:
        """Set the free row count with the prebuilt statement (the allocation path)."""
        conn.execute(self._count_free, {"b_nid": network_id, "b_free": free_count})

    def set_network(self, conn: sa.Connection, network_id: int, **values: Any) -> None:
        """Set columns of the network row (the free count, off the allocation path)."""
        conn.execute(
            sa.update(self.networks).where(self.networks.c.id == network_id).values(**values)
        )
