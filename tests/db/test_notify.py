"""PostgreSQL LISTEN/NOTIFY: a commit on one connection wakes a listener on another."""

from __future__ import annotations

import contextlib
import queue

import pytest
import sqlalchemy as sa

from netservice.core.db.session import Database
from netservice.core.notify import Change, PostgresNotifier, for_engine
from netservice.testing import databases
from tests.conftest import skip_or_fail


@pytest.fixture
def pg_url():
    url = databases.server_url("postgresql")
    reason = databases.unreachable_reason(url)
    if reason:
        skip_or_fail(f"postgresql: {reason}")
    return url


def test_notifications_cross_engines_and_respect_rollback(pg_url):
    listener_db, writer_db = Database(pg_url), Database(pg_url)
    listener = for_engine(listener_db.engine)
    writer = PostgresNotifier(writer_db.engine)
    assert isinstance(listener, PostgresNotifier)
    try:
        changes = listener.subscribe("flat_dhcp")
        # Wait until LISTEN is active: retry a notification until one lands.
        for _ in range(50):
            with writer_db.writer() as session:
                writer.notify(session, "flat_dhcp", "probe")
            try:
                changes.get(timeout=0.2)
                break
            except queue.Empty:
                continue
        else:
            pytest.fail("LISTEN never became active")
        while not changes.empty():
            changes.get_nowait()
        with pytest.raises(RuntimeError), writer_db.writer() as session:
            writer.notify(session, "flat_dhcp", "rolled-back")
            raise RuntimeError("abort")
        with writer_db.writer() as session:
            session.execute(sa.text("SELECT 1"))
            writer.notify(session, "flat_dhcp", "7")
        # A probe sent above may still arrive late: skip probes, by polling.
        got = changes.get(timeout=5)
        while got == Change("flat_dhcp", "probe"):
            got = changes.get(timeout=5)
        assert got == Change("flat_dhcp", "7")
        late = []
        with contextlib.suppress(queue.Empty):
            while True:
                late.append(changes.get(timeout=0.3))
        assert set(late) <= {Change("flat_dhcp", "probe")}, "the rolled-back change arrived"
    finally:
        listener.close()
        writer.close()
        listener_db.dispose()
        writer_db.dispose()
