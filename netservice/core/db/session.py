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
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

LOG = logging.getLogger(__name__)

_WRITE_OPTION = "netservice_writer"
SQLITE_BUSY_TIMEOUT_MS = 30_000


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
        else:
            engine_kwargs.setdefault("pool_pre_ping", True)
        self.engine = sa.create_engine(self.url, **engine_kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
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

    def dispose(self) -> None:
        self.engine.dispose()


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
