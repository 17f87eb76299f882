"""``Registry``: claim and release address space and L2 names, in the caller's transaction.

Every plugin claims what it writes through the one ``Registry`` its
``PluginContext`` hands it, on the connection of the write transaction that
writes its own rows (``Database.writer()`` or ``write_connection()``), so a
refused claim rolls the plugin's rows back and a delete frees its claims in
the same commit: a crash leaves both or neither.  How the check is made
exact on each engine is in ``netservice.core.registry.serialise``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from typing import Any

import netaddr
import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.core.db.models import RegistryAddress, RegistryL2
from netservice.core.db.session import Database
from netservice.core.registry import serialise
from netservice.core.registry.claims import (
    EVERYWHERE,
    AddressClaim,
    Claim,
    L2Claim,
    address_text,
    floating_range,
    hex_of,
)

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One row of ``registry list``."""

    kind: str
    resource: str
    owner: str
    network_id: str | None


class Registry:
    """The deployment-wide registry on one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- claims ---------------------------------------------------------------------

    def claim(self, conn: sa.Connection, claims: Iterable[Claim]) -> None:
        """Hold ``claims`` for their owners, in the caller's write transaction.

        Raises ClaimConflict (409) naming both owners when one overlaps
        another owner's claim (or one of the same call).  Claims are checked
        one by one against what is held, in order.
        """
        wanted = list(claims)
        if not wanted:
            return
        dialect = conn.dialect.name
        if serialise.needs_lock(dialect, wanted):
            serialise.lock(conn)
        locking = serialise.locking_reads(dialect)
        for claim in wanted:
            if isinstance(claim, AddressClaim):
                self._claim_address(conn, claim, locking)
            else:
                self._claim_l2(conn, claim, locking)

    def _claim_address(self, conn: sa.Connection, claim: AddressClaim, locking: bool) -> None:
        row = RegistryAddress
        same_port = sa.and_(
            row.kind == "vpn",
            row.protocol == claim.protocol,
            row.port == claim.port,
            row.network_id != claim.network_id,
        )
        collides = row.conflict_key != claim.conflict_key
        if claim.kind == "vpn":
            collides = sa.or_(collides, same_port)
        query = (
            sa.select(row.kind, row.resource, row.owner, row.network_id)
            .where(
                row.family == claim.family,
                row.first_hex <= claim.last_hex,
                row.last_hex >= claim.first_hex,
                collides,
            )
            .order_by(row.first_hex)
            .limit(1)
        )
        if locking:
            query = query.with_for_update()
        other = conn.execute(query).first()
        if other is not None:
            raise _conflict(claim, other)
        conn.execute(sa.insert(row).values(**claim.columns(), created_at=utcnow()))

    def _claim_l2(self, conn: sa.Connection, claim: L2Claim, locking: bool) -> None:
        row = RegistryL2
        scope = (
            sa.true() if claim.scope == EVERYWHERE else row.scope.in_([claim.scope, EVERYWHERE])
        )
        query = (
            sa.select(row.kind, row.scope, row.name, row.owner, row.network_id)
            .where(
                row.kind == claim.kind,
                row.name == claim.name,
                scope,
                row.conflict_key != claim.conflict_key,
            )
            .limit(1)
        )
        if locking:
            query = query.with_for_update()
        other = conn.execute(query).first()
        if other is not None:
            held = L2Claim(other.kind, other.scope, other.name, other.owner, other.network_id, "")
            raise exceptions.ClaimConflict(claim=claim.describe(), other=held.describe())
        conn.execute(sa.insert(row).values(**dataclasses.asdict(claim), created_at=utcnow()))

    # --- releases -------------------------------------------------------------------------

    def release(
        self,
        conn: sa.Connection,
        owner: str,
        network_id: int | str,
        kinds: Sequence[str] | None = None,
    ) -> int:
        """Free the network's claims (only ``kinds``, when given); returns how many.

        Call it in the transaction that deletes or changes the network.  Idempotent.
        """
        serialise.lock_for_release(conn)
        freed = 0
        for table in (RegistryAddress, RegistryL2):
            query = sa.delete(table).where(
                table.owner == owner, table.network_id == str(network_id)
            )
            if kinds is not None:
                query = query.where(table.kind.in_(list(kinds)))
            freed += int(getattr(conn.execute(query), "rowcount", 0) or 0)
        return freed

    def release_floating(self, conn: sa.Connection, owner: str, first: int, last: int) -> None:
        """Free the owner's floating addresses ``first..last`` (IPv4), keeping the rest.

        A claim partly inside the span is replaced by the CIDRs of what is
        left of it, so the registry holds exactly the addresses still live.
        """
        serialise.lock_for_release(conn)
        row = RegistryAddress
        mine = (row.owner == owner, row.kind == "floating", row.family == 4)
        held = conn.execute(
            sa.select(row.id, row.cidr).where(
                *mine, row.first_hex <= hex_of(last), row.last_hex >= hex_of(first)
            )
        ).all()
        if not held:
            return
        conn.execute(sa.delete(row).where(row.id.in_([h.id for h in held])))
        keep: list[AddressClaim] = []
        for h in held:
            net = netaddr.IPNetwork(h.cidr)
            if net.first < first:
                keep += floating_range(owner, net.first, min(net.last, first - 1))
            if net.last > last:
                keep += floating_range(owner, max(net.first, last + 1), net.last)
        # What is left was held by this owner already: it cannot collide.
        for claim in keep:
            self._claim_address(conn, claim, locking=False)

    # --- reading --------------------------------------------------------------------------

    def entries(self, kind: str | None = None) -> list[Entry]:
        """Every claim, addresses then L2 (``kind``: ``address`` or ``l2`` only)."""
        found: list[Entry] = []
        with self.db.transaction() as session:
            if kind in (None, "address"):
                rows = session.execute(
                    sa.select(RegistryAddress).order_by(
                        RegistryAddress.family, RegistryAddress.first_hex, RegistryAddress.id
                    )
                ).scalars()
                found += _address_entries(rows)
            if kind in (None, "l2"):
                l2 = session.execute(
                    sa.select(RegistryL2).order_by(
                        RegistryL2.kind, RegistryL2.name, RegistryL2.scope, RegistryL2.id
                    )
                ).scalars()
                for r in l2:
                    claim = L2Claim(r.kind, r.scope, r.name, r.owner, r.network_id, "")
                    found.append(Entry(r.kind, claim.resource, r.owner, r.network_id))
        return found

    def held(self, conn: sa.Connection) -> list[Claim]:
        """Every claim as held, read on ``conn`` (for ``registry check`` and ``db sync``)."""
        claims: list[Claim] = []
        addresses = RegistryAddress.__table__
        for a in conn.execute(sa.select(addresses).order_by(addresses.c.id)):
            claims.append(
                AddressClaim(
                    a.kind,
                    a.cidr,
                    a.owner,
                    a.network_id,
                    a.resource,
                    a.conflict_key,
                    a.protocol,
                    a.port,
                )
            )
        l2 = RegistryL2.__table__
        for b in conn.execute(sa.select(l2).order_by(l2.c.id)):
            claims.append(L2Claim(b.kind, b.scope, b.name, b.owner, b.network_id, b.conflict_key))
        return claims


def _conflict(claim: AddressClaim, other: Any) -> exceptions.ClaimConflict:
    theirs = address_text(other.kind, other.resource, other.owner, other.network_id)
    return exceptions.ClaimConflict(claim=claim.describe(), other=theirs)


def _address_entries(rows: Iterable[RegistryAddress]) -> list[Entry]:
    """One entry a claim, except floating IPs: one a run of an owner's addresses."""
    found: list[Entry] = []
    run: tuple[str, int, int] | None = None  # owner, first, last of the open run

    def close() -> None:
        if run is not None:
            owner, first, last = run
            low, high = netaddr.IPAddress(first, 4), netaddr.IPAddress(last, 4)
            found.append(Entry("floating", str(low) if first == last else f"{low}-{high}",
                               owner, None))  # fmt: skip

    for r in rows:
        if r.kind != "floating":
            close()
            run = None
            found.append(Entry(r.kind, r.resource, r.owner, r.network_id))
            continue
        net = netaddr.IPNetwork(r.cidr)
        if run is not None and run[0] == r.owner and run[2] + 1 == net.first:
            run = (r.owner, run[1], int(net.last))
            continue
        close()
        run = (r.owner, int(net.first), int(net.last))
    close()
    return found
