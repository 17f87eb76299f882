"""How claims are made exact under concurrency, engine by engine.

A claim is "check that nothing overlaps, then insert".  Two transactions
doing that at once must not both pass the check:

- **SQLite** has one writer at a time: ``Database.writer()`` begins with
  ``BEGIN IMMEDIATE``, so the check and the insert run alone.  Nothing more.
- **PostgreSQL**: address claims other than VPN endpoints are held by the
  exclusion constraint of core_0003 (``cidr::inet`` ``&&`` under GiST,
  ``conflict_key`` ``<>``).  It is exact (the second insert waits for the
  first transaction, then fails with SQLSTATE 23P01) and costs an index
  probe, so no lock is taken and claims on distinct ranges never wait for
  each other.  ``netservice.core.db.errors`` makes 23P01 a ConcurrentUpdate,
  so ``retry_on_deadlock`` runs the loser again, whose check then sees the
  winner and answers a 409 naming both owners.  VPN endpoints (same address
  on another port is fine, on the same port is not) and L2 names (a bridge
  shared within one plugin) have rules the constraint cannot say, so those
  claims take the lock row below.
- **MariaDB/MySQL** has no exclusion constraints, and REPEATABLE READ's
  snapshot may predate a concurrent claim's commit.  Every registry write
  first locks the one ``registry_lock`` row (``SELECT ... FOR UPDATE``, a
  short wait: claims are a handful of rows at network create or delete),
  and the check is a locking read, which sees the latest committed rows
  whatever the transaction's snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from netservice.core.db.models import RegistryLock
from netservice.core.registry.claims import AddressClaim, Claim

_MYSQL = ("mysql", "mariadb")


def needs_lock(dialect: str, claims: Sequence[Claim]) -> bool:
    """Whether these claims must take the lock row first (see the module's docstring)."""
    if dialect == "sqlite":
        return False
    if dialect == "postgresql":
        return any(not isinstance(c, AddressClaim) or c.kind == "vpn" for c in claims)
    return True


def locking_reads(dialect: str) -> bool:
    """Whether the overlap check must be a locking read to see the latest commits."""
    return dialect in _MYSQL


def lock(conn: sa.Connection) -> None:
    """Hold the registry's lock row until the caller's transaction ends."""
    conn.execute(sa.select(RegistryLock.id).where(RegistryLock.id == 1).with_for_update())


def lock_for_release(conn: sa.Connection) -> None:
    """On MariaDB, releases take the lock too, so registry writers never deadlock each other."""
    if conn.dialect.name in _MYSQL:
        lock(conn)
