"""Engines and transactions, one way for the core and every plugin.

There is one writer path.  ``Database.writer()`` (ORM) and
``Database.write_connection()`` (Core) are the write transactions: they
serialise against other writers from their first statement (on SQLite with
``BEGIN IMMEDIATE``: SQLite has no row locks, and a deferred transaction that
upgrades to a writer fails at once with "database is locked" instead of
waiting; on PostgreSQL and MariaDB callers take row locks with ``SELECT ...
FOR UPDATE`` inside them).  ``Database.transaction()`` is read-only: an
INSERT, UPDATE or DELETE in it raises ``WriteOutsideWriter``, a bug, before it
reaches the database.  ``Database.autocommit_connection()`` runs each
statement as its own transaction, so a single-statement write there is atomic
on its own.

Errors are classified once, for every caller, in ``netservice.core.db.errors``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from sqlalchemy import event, orm
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from netservice.core import exceptions
from netservice.core.db import errors

LOG = logging.getLogger(__name__)

_WRITE_OPTION = "netservice_writer"
_READ_ONLY_OPTION = "netservice_read_only"
_AUTOCOMMIT_OPTION = "netservice_autocommit"
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled server connection idle longer than this is pinged before reuse.
STALE_AFTER_SECONDS = 30.0


class WriteOutsideWriter(db_exc.DBError):  # type: ignore[misc]  # oslo.db is untyped
    """A write statement in ``Database.transaction()``: a bug in the caller (500).

    Writes go through ``writer()`` or ``write_connection()``, which serialise
    correctly on every engine (see the module's docstring).  A ``DBError``, so
    oslo.db's exception filters let it through as it is.
    """


class _OpenWriters(threading.local):
    depth = 0


_OPEN_WRITERS = _OpenWriters()


def in_write_transaction() -> bool:
    """Whether this thread is inside a ``writer()`` or ``write_connection()``.

    ``netservice.core.db.retry.retry_on_deadlock`` retries only the
    outermost unit of work: a nested one cannot be re-run on its own once
    the transaction around it is dead.
    """
    return _OPEN_WRITERS.depth > 0


@contextlib.contextmanager
def _counted_writer() -> Iterator[None]:
    _OPEN_WRITERS.depth += 1
    try:
        yield
    finally:
        _OPEN_WRITERS.depth -= 1


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
        errors.classify_errors(self.engine)
        _refuse_writes_in_readers(self.engine)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        else:
            _ping_when_stale(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[orm.Session]:
        """A read-only session in one transaction, for consistent reads.

        A write in it raises ``WriteOutsideWriter``: use ``writer()``.
        """
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{_READ_ONLY_OPTION: True})
            with orm.Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    @contextlib.contextmanager
    def writer(self, connection: sa.Connection | None = None) -> Iterator[orm.Session]:
        """The write transaction: committed on success, rolled back on error.

        Holds the write lock from its start on SQLite.  Retry the unit of
        work around it with ``netservice.core.db.retry.retry_on_deadlock``.
        ``connection``: run it on a connection the caller checked out and
        keeps (one holding a MariaDB session lock, ``GET_LOCK``).
        """
        with _counted_writer(), contextlib.ExitStack() as stack:
            raw = connection or stack.enter_context(self.engine.connect())
            conn = raw.execution_options(**{_WRITE_OPTION: True})
            with orm.Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    @contextlib.contextmanager
    def write_connection(self) -> Iterator[sa.Connection]:
        """``writer()`` without the ORM: a Core connection in one write transaction.

        For hot paths (address allocation) where the Session's bookkeeping
        costs as much as a statement.  Committed on success, rolled back on error.
        """
        with _counted_writer(), self.engine.connect() as raw:
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
        no BEGIN is emitted (this module, not the driver, emits it), so each
        statement is its own transaction there too: a write waits for the
        lock instead of upgrading a reader, which could fail at once.
        """
        with self.engine.connect() as raw:
            if self.is_sqlite:
                yield raw.execution_options(**{_AUTOCOMMIT_OPTION: True})
                return
            try:
                conn = raw.execution_options(isolation_level="AUTOCOMMIT")
            except self.engine.dialect.loaded_dbapi.Error as err:
                # MariaDB switches with a round trip that no statement event
                # sees, so the error is classified here: the connection is gone.
                raw.invalidate(err)
                raise exceptions.DatabaseUnavailable(reason=errors.first_line(err)) from err
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    def after_fork(self) -> None:
        """In a forked child: start a pool of its own, leaving the parent's connections alone.

        A connection the parent opened must not be used (nor closed) by two
        processes: the child forgets the inherited ones and opens new ones.
        """
        self.engine.dispose(close=False)


def _refuse_writes_in_readers(engine: sa.Engine) -> None:
    """Make a write in ``Database.transaction()`` fail before it runs."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(conn: sa.Connection, *args: Any) -> None:
        if not conn.get_execution_options().get(_READ_ONLY_OPTION):
            return
        statement = str(args[1])
        if statement.lstrip()[:7].upper().startswith(_WRITE_VERBS):
            raise WriteOutsideWriter(
                "a write in Database.transaction(), which is read-only; use "
                f"Database.writer(): {statement.split(chr(10), 1)[0][:120]}"
            )


def _ping_when_stale(engine: sa.Engine) -> None:
    """Ping a pooled connection before reuse only when it sat idle a while.

    ``pool_pre_ping`` would add a round trip to every transaction.  A
    connection that was used within the last ``STALE_AFTER_SECONDS`` is very
    unlikely to be dead; one that idled (a server restart, a firewall's idle
    timeout) is checked, and replaced if the ping fails.

    The ping is the dialect's own (``Dialect.do_ping``, what ``pool_pre_ping``
    runs), followed by a rollback: on psycopg the ``SELECT 1`` opens a
    transaction, and a connection left in one refuses the switch to
    autocommit (``autocommit_connection()``) with "can't change 'autocommit'
    now".
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
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()
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
        options = conn.get_execution_options()
        if options.get(_AUTOCOMMIT_OPTION):
            return
        if options.get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
