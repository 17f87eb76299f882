"""Write transactions for allocation: picking a free row, and keeping the quota.

Two allocations must never get the same address, and two allocations by one
project must not both pass its quota check:

- **the address**: the free row is read with ``SELECT ... FOR UPDATE SKIP
  LOCKED`` (PostgreSQL, MariaDB 10.6+, MySQL 8), so concurrent allocations
  take different rows at once instead of queueing on the first free one.
  Without SKIP LOCKED a plain ``FOR UPDATE`` queues them, which is slower
  but still correct.  SQLite's ``BEGIN IMMEDIATE`` serialises all writers.
- **the quota**: counting the project's rows and then taking one is a race
  under READ COMMITTED, and row locks cannot cover rows that do not exist
  yet.  So a project's allocations are serialised by a lock on the project
  itself, held until commit: ``pg_advisory_xact_lock`` on PostgreSQL, a
  named ``GET_LOCK`` on MariaDB/MySQL (released after the commit, on the same
  connection).  Only allocations of one project wait for each other.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from netservice.core import exceptions
from netservice.core.db.session import Database
from netservice.floating.exceptions import FloatingIpLockTimeout

LOG = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 30


def supports_skip_locked(dialect: sa.Dialect) -> bool:
    """Whether ``FOR UPDATE SKIP LOCKED`` works on this server."""
    if dialect.name == "postgresql":
        return True
    if dialect.name in ("mysql", "mariadb"):
        version = tuple(dialect.server_version_info or ())
        if getattr(dialect, "is_mariadb", False):
            return version >= (10, 6)
        return version >= (8, 0, 1)
    return False


def _advisory_key(name: str) -> int:
    """A signed 64-bit key for ``pg_advisory_xact_lock`` from a lock name."""
    return int.from_bytes(bytes.fromhex(name[-16:]), "big", signed=True)


@contextlib.contextmanager
def write_session(
    db: Database,
    lock_name: str | None = None,
    *,
    project_id: str = "",
    timeout: int | None = None,
) -> Iterator[orm.Session]:
    """``Database.writer()``, holding the named lock from its start to its end.

    ``lock_name`` None is a plain writer.  The lock is the transaction's first
    statement, so MariaDB's REPEATABLE READ snapshot cannot predate it.
    Raises FloatingIpLockTimeout (503) when MariaDB/MySQL does not grant the
    lock within ``timeout`` seconds (default ``LOCK_TIMEOUT_SECONDS``);
    PostgreSQL waits as for any row lock.
    """
    backend = db.engine.dialect.name
    if lock_name is None or backend not in ("postgresql", "mysql", "mariadb"):
        # SQLite: BEGIN IMMEDIATE already serialises every writer.
        with db.writer() as session:
            yield session
        return
    if backend == "postgresql":
        with db.writer() as session:
            session.execute(sa.select(sa.func.pg_advisory_xact_lock(_advisory_key(lock_name))))
            yield session
        return
    seconds = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    with _named_lock(db, lock_name, project_id, seconds) as conn, db.writer(conn) as session:
        yield session


@contextlib.contextmanager
def _named_lock(db: Database, name: str, project_id: str, timeout: int) -> Iterator[sa.Connection]:
    """A connection holding MariaDB/MySQL's ``GET_LOCK(name)``, outside any transaction.

    The lock belongs to the connection, not the transaction, so it is taken
    and released here around the caller's transaction, and a connection
    that cannot release it is discarded (its server session ends, and the
    lock with it) rather than returned to the pool still holding it.
    """
    with db.engine.connect() as conn:
        granted = conn.scalar(sa.select(sa.func.get_lock(name, timeout)))
        conn.commit()
        if granted != 1:
            raise FloatingIpLockTimeout(seconds=timeout, project_id=project_id)
        try:
            yield conn
        finally:
            try:
                conn.rollback()
                conn.scalar(sa.select(sa.func.release_lock(name)))
                conn.commit()
            except (sa_exc.DBAPIError, exceptions.DatabaseUnavailable) as err:
                LOG.warning("could not release lock %s (%s); dropping the connection", name, err)
                conn.invalidate()
