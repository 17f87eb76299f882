"""Write transactions report a changed network only when they commit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from netservice.core.notify import InProcessNotifier
from netservice.networks.writes import Writes


@pytest.fixture
def notifier():
    return InProcessNotifier()


def test_changes_are_published_on_commit(database, notifier):
    changes = notifier.subscribe("svc")
    with Writes(database, "svc", notifier).connection() as write:
        write.conn.execute(sa.text("SELECT 1"))
        write.changed(7)
        assert changes.empty()
    assert changes.get_nowait().network_id == "7"


def test_nothing_is_published_on_rollback(database, notifier):
    changes = notifier.subscribe("svc")
    with pytest.raises(RuntimeError), Writes(database, "svc", notifier).session() as write:
        write.changed(7)
        raise RuntimeError("refused")
    assert changes.empty()


def test_without_a_notifier_changed_does_nothing(database):
    with Writes(database, "svc", None).connection() as write:
        assert write.session is None
        write.changed(7)
        assert write.conn.execute(sa.text("SELECT 1")).scalar() == 1
