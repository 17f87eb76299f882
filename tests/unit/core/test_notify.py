"""In-process change notifications: delivered on commit, dropped on rollback."""

from __future__ import annotations

import queue

import pytest
import sqlalchemy as sa

from netservice.core.db.session import Database
from netservice.core.notify import Change, InProcessNotifier, for_engine


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/n.sqlite")
    yield database
    database.dispose()


def test_delivered_only_after_commit(db):
    notifier = InProcessNotifier()
    changes = notifier.subscribe("flat_dhcp")
    other = notifier.subscribe("vlan")
    with db.writer() as session:
        session.execute(sa.text("SELECT 1"))
        notifier.notify(session, "flat_dhcp", "7")
        notifier.notify(session, "flat_dhcp", "8")
        assert changes.empty()  # not before commit
    assert [changes.get_nowait(), changes.get_nowait()] == [
        Change("flat_dhcp", "7"),
        Change("flat_dhcp", "8"),
    ]
    assert other.empty()


def test_dropped_on_rollback(db):
    notifier = InProcessNotifier()
    changes = notifier.subscribe("flat_dhcp")
    with pytest.raises(RuntimeError), db.writer() as session:
        session.execute(sa.text("SELECT 1"))
        notifier.notify(session, "flat_dhcp", "7")
        raise RuntimeError("abort")
    with pytest.raises(queue.Empty):
        changes.get(timeout=0.2)
    # The next transaction on a new session starts clean.
    with db.writer() as session:
        notifier.notify(session, "flat_dhcp", "9")
    assert changes.get(timeout=1) == Change("flat_dhcp", "9")


def test_sqlite_gets_the_in_process_notifier(db):
    assert type(for_engine(db.engine)) is InProcessNotifier
