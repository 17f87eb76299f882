from __future__ import annotations

import pytest
import sqlalchemy as sa

from netservice.core.context import RequestContext
from netservice.core.notify import InProcessNotifier
from netservice.floating.store import Store, table_of
from tests.unit.floating import schema


def _store(db, **kwargs):
    return Store(db, schema.FloatingIp, schema.FixedIp, **kwargs)


def test_a_notifier_needs_a_service_name(db):
    with pytest.raises(ValueError, match="service_name"):
        _store(db, notifier=InProcessNotifier())
    assert _store(db).notifier is None


def test_only_mapped_classes_are_accepted():
    with pytest.raises(TypeError):
        table_of(object)


def test_visibility():
    assert Store.visible(RequestContext("a"), "a")
    assert not Store.visible(RequestContext("a"), "b")
    assert not Store.visible(RequestContext("a"), None)
    assert Store.visible(RequestContext.admin(), None)


def test_lock_names_are_stable_short_and_per_table(db):
    store = _store(db)
    name = store.lock_name("alice")
    assert name == store.lock_name("alice") != store.lock_name("bob")
    assert len(name) <= 64  # MySQL's limit for GET_LOCK names
    store.floating = sa.Table("other_floating_ips", sa.MetaData())
    assert store.lock_name("alice") != name


def test_no_notifier_no_notification(db):
    store = _store(db)
    with db.writer() as session:
        store.notify(session, 1)  # nothing to publish to: a no-op
