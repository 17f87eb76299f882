"""Change notifications: how a database write wakes the net-services at once.

Writers call ``notifier.notify(session, service, network_id)`` inside their
transaction.  The notification is delivered only if that transaction
commits:

- ``InProcessNotifier`` (the embedded default) queues it from an
  ``after_commit`` hook, for net-services running in the same process;
- ``PostgresNotifier`` sends ``pg_notify`` in the same transaction, which
  PostgreSQL delivers on commit to every host that LISTENs.

A lost notification costs latency only: every net-service also resyncs
periodically.
"""

from __future__ import annotations

import abc
import dataclasses
import json
import logging
import queue
import select
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm

LOG = logging.getLogger(__name__)

CHANNEL = "netservice_changes"


@dataclasses.dataclass(frozen=True)
class Change:
    """Something about ``network_id`` of ``service`` changed; None: anything."""

    service: str
    network_id: str | None = None


class ChangeNotifier(abc.ABC):
    """Publishes committed changes and hands them to subscribers."""

    @abc.abstractmethod
    def notify(self, session: orm.Session, service: str, network_id: str | None = None) -> None:
        """Publish a change when ``session``'s transaction commits.  Never raises."""

    @abc.abstractmethod
    def subscribe(self, service: str) -> queue.SimpleQueue[Change]:
        """A queue that receives the changes of ``service`` from now on."""

    def close(self) -> None:
        """Stop any background listener.  Idempotent."""
        return


class InProcessNotifier(ChangeNotifier):
    """Delivers to subscribers in this process, after commit."""

    _PENDING = "netservice_pending_changes"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[queue.SimpleQueue[Change]]] = {}

    def notify(self, session: orm.Session, service: str, network_id: str | None = None) -> None:
        pending: list[Change] | None = session.info.get(self._PENDING)
        if pending is None:
            pending = session.info[self._PENDING] = []
            event.listen(session, "after_commit", self._flush, once=True)
            event.listen(session, "after_rollback", self._discard, once=True)
        pending.append(Change(service, network_id))

    def _flush(self, session: orm.Session) -> None:
        for change in session.info.pop(self._PENDING, []):
            self.publish(change)

    def _discard(self, session: orm.Session) -> None:
        session.info.pop(self._PENDING, None)

    def publish(self, change: Change) -> None:
        with self._lock:
            targets = list(self._subscribers.get(change.service, ()))
        for target in targets:
            target.put(change)

    def subscribe(self, service: str) -> queue.SimpleQueue[Change]:
        subscription: queue.SimpleQueue[Change] = queue.SimpleQueue()
        with self._lock:
            self._subscribers.setdefault(service, []).append(subscription)
        return subscription


class PostgresNotifier(InProcessNotifier):
    """LISTEN/NOTIFY across hosts; subscribers in this process get both."""

    def __init__(self, engine: sa.Engine, poll_interval: float = 1.0) -> None:
        super().__init__()
        self._engine = engine
        self._poll_interval = poll_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self, session: orm.Session, service: str, network_id: str | None = None) -> None:
        payload = json.dumps({"service": service, "network_id": network_id})
        session.execute(sa.select(sa.func.pg_notify(CHANNEL, payload)))

    def subscribe(self, service: str) -> queue.SimpleQueue[Change]:
        subscription = super().subscribe(service)
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="pg-listen", daemon=True)
            self._thread.start()
        return subscription

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen_once()
            except Exception:
                # The periodic resync covers what is missed while reconnecting.
                LOG.exception("LISTEN %s failed; reconnecting", CHANNEL)
                self._stop.wait(self._poll_interval)

    def _listen_once(self) -> None:
        raw: Any = self._engine.raw_connection()
        try:
            driver = raw.driver_connection
            driver.autocommit = True
            driver.execute(f"LISTEN {CHANNEL}")
            while not self._stop.is_set():
                ready, _, _ = select.select([driver.fileno()], [], [], self._poll_interval)
                if not ready:
                    continue
                for note in driver.notifies(timeout=0, stop_after=100):
                    self._deliver(note.payload)
        finally:
            raw.close()

    def _deliver(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            change = Change(str(data["service"]), data.get("network_id"))
        except (ValueError, KeyError, TypeError):
            LOG.warning("ignoring malformed change notification %r", payload)
            return
        self.publish(change)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def for_engine(engine: sa.Engine) -> ChangeNotifier:
    """LISTEN/NOTIFY on PostgreSQL, in-process otherwise."""
    if engine.dialect.name == "postgresql":
        return PostgresNotifier(engine)
    return InProcessNotifier()
