"""Engines and transactions, one way for the core and every plugin.

``Database.transaction()`` is a read/write unit of work.  ``Database.writer()``
is the same, but serialises against other writers from its first statement:
on SQLite it opens with ``BEGIN IMMEDIATE`` (SQLite has no row locks, and a
deferred transaction that upgrades to a writer can fail with "database is
locked" instead of waiting); on PostgreSQL and MariaDB callers take row locks
with ``SELECT ... FOR UPDATE`` inside it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

LOG = logging.getLogger(__name__)

_WRITE_OPTION = "netservice_writer"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled server connection idle longer than this is pinged before reuse.
STALE_AFTER_SECONDS = 30.0


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = make_url(url)
        if self.is_sqlite:
            engine_kwargs.setdefault("connect_args", {})["check_same_thread"] = False
            if self.url.database in (None, "", ":memory:"):
                # One shared connection, or every session would see its own
                # empty in-memory database.
                engine_kwargs.setdefault("poolclass", StaticPool)
            else:
                os.makedirs(os.path.dirname(os.path.abspath(self.url.database)), exist_ok=True)
        self.engine = sa.create_engine(self.url, **engine_kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        else:
            _ping_when_stale(self.engine)
        self._sessions = orm.sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[orm.Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def writer(self) -> Iterator[orm.Session]:
        """A transaction that holds the write lock from its start on SQLite."""
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{_WRITE_OPTION: True})
            with orm.Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    @contextlib.contextmanager
    def write_connection(self) -> Iterator[sa.Connection]:
        """``writer()`` without the ORM: a Core connection in one write transaction.

        For hot paths (address allocation) where the Session's bookkeeping
        costs as much as a statement.  Committed on success, rolled back on error.
        """
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def autocommit_connection(self) -> Iterator[sa.Connection]:
        """A Core connection where each statement commits on its own.

        One round trip per statement on a server database, with no BEGIN or
        COMMIT around it: for single-statement reads and writes on hot paths
        (the routing check, creating a VNIC).  Several statements in it are
        not atomic; use ``transaction()`` or ``writer()`` for that.  On SQLite
        (no round trips) it is a plain transaction, because its BEGIN is
        emitted by this module rather than by the driver.
        """
        if self.is_sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        with self.engine.connect() as raw:
            yield raw.execution_options(isolation_level="AUTOCOMMIT")

    def dispose(self) -> None:
        self.engine.dispose()


def _ping_when_stale(engine: sa.Engine) -> None:
    """Ping a pooled connection before reuse only when it sat idle a while.

    ``pool_pre_ping`` would add a round trip to every transaction.  A
    connection that was used within the last ``STALE_AFTER_SECONDS`` is very
    unlikely to be dead; one that idled (a server restart, a firewall's idle
    timeout) is checked, and replaced if the ping fails.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["netservice_checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("netservice_checked_in")
        if idle_since is None or time.monotonic() - idle_since < STALE_AFTER_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as err:
            LOG.info("dropping a stale database connection: %s", err)
            raise sa_exc.DisconnectionError() from err


def _configure_sqlite(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN, so writers can ask for IMMEDIATE.

    This is the recipe from SQLAlchemy's SQLite dialect documentation.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
