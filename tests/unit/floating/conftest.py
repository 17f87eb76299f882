"""Floating IPs on the test schema (``schema.py``), on a fresh SQLite file per test."""

from __future__ import annotations

import queue

import pytest

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.notify import Change, InProcessNotifier
from netservice.floating.service import FloatingIps
from tests.unit.floating import schema

SERVICE = "fiptest"
ADMIN = RequestContext.admin("ops")
ALICE = RequestContext("alice")
BOB = RequestContext("bob")


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/floating.sqlite")
    schema.Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def notifier():
    return InProcessNotifier()


@pytest.fixture
def changes(notifier):
    """The committed changes published for the test service."""
    subscription = notifier.subscribe(SERVICE)

    def drain() -> list[Change]:
        got = []
        while True:
            try:
                got.append(subscription.get_nowait())
            except queue.Empty:
                return got

    return drain


@pytest.fixture
def make_floating(db, notifier):
    def make(quota=10, **kwargs) -> FloatingIps:
        return FloatingIps(
            db,
            schema.FloatingIp,
            schema.FixedIp,
            quota=quota,
            notifier=notifier,
            service_name=SERVICE,
            **kwargs,
        )

    return make


@pytest.fixture
def floating(make_floating):
    return make_floating()


@pytest.fixture
def network(db):
    return schema.make_network(db, "10.0.0.0/24")


@pytest.fixture
def fixed(db, network):
    """Allocate a fixed IP on ``network`` to an instance; returns the address."""

    def allocate(instance_id="i-1", network_id=None):
        return schema.allocate_fixed(db, network_id or network, instance_id)

    return allocate


@pytest.fixture
def pool(floating):
    """Pool "nova" with 203.0.113.1-6, and "other" with 198.51.100.1-2."""
    floating.create_range("203.0.113.0/29")
    floating.create_range("198.51.100.1", pool="other")
    floating.create_range("198.51.100.2", pool="other")
    return "nova"
