"""Write transactions that tell the plugin's net-service which network changed.

``notify`` takes an ORM session (its in-process notifier hooks the session's
commit), so when a plugin has a notifier the Core paths write through
``Database.writer()`` and use its connection.  Without one (Flat has no
net-service) they keep the lighter ``Database.write_connection()``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier


@dataclasses.dataclass(frozen=True)
class Write:
    """One open write transaction: its connection, and how to report a change."""

    conn: sa.Connection
    session: orm.Session | None
    service: str
    notifier: ChangeNotifier | None

    def changed(self, network_id: int | str) -> None:
        """Tell the net-service, once this transaction commits, that the network changed."""
        if self.notifier is not None and self.session is not None:
            self.notifier.notify(self.session, self.service, str(network_id))


class Writes:
    """Opens write transactions for one plugin."""

    def __init__(self, db: Database, service: str, notifier: ChangeNotifier | None) -> None:
        self.db = db
        self.service = service
        self.notifier = notifier

    @contextlib.contextmanager
    def connection(self) -> Iterator[Write]:
        """A Core write transaction; committed on success, rolled back on error."""
        if self.notifier is None:
            with self.db.write_connection() as conn:
                yield Write(conn, None, self.service, None)
            return
        with self.db.writer() as session:
            yield Write(session.connection(), session, self.service, self.notifier)

    @contextlib.contextmanager
    def session(self) -> Iterator[Write]:
        """An ORM write transaction (``Write.session`` is set)."""
        with self.db.writer() as session:
            yield Write(session.connection(), session, self.service, self.notifier)
