"""The allocator on flat's migrated tables, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from netservice_flat.models import Base, FlatIpAddress, FlatNetwork
from netservice_flat.plugin import BRANCH

from netservice.core.db import migration
from netservice.core.db.session import Database
from netservice.ipam import exceptions, planner
from netservice.ipam.allocator import Allocator


@pytest.fixture
def ipam_db(db_url):
    database = Database(db_url)
    migration.upgrade(database, BRANCH)
    yield database
    database.dispose()


@pytest.fixture
def allocator():
    return Allocator(FlatNetwork.__table__, FlatIpAddress.__table__)


def make_network(database, allocator, cidr, **options):
    request = planner.NetworkRequest(label="n", cidr=cidr, **options)
    (net,) = planner.plan_networks(request, planner.Topology(), planner.Used()).networks
    with database.writer() as session:
        return allocator.insert_network(
            session.connection(), dataclasses.asdict(net), net.reserved()
        )


def allocate(database, allocator, network_id, **kw):
    with database.writer() as session:
        return allocator.allocate(session.connection(), network_id, **kw).address


def test_models_match_the_migration(ipam_db):
    with ipam_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if not (d[0] == "remove_table" and d[1].name == BRANCH.version_table)]
    assert ours == []


def test_a_slash_8_costs_the_rows_of_a_slash_24(ipam_db, allocator):
    make_network(ipam_db, allocator, "10.0.0.0/24")
    make_network(ipam_db, allocator, "11.0.0.0/8", network_size=2**24)
    with ipam_db.writer() as session:
        counts = session.execute(
            sa.select(FlatIpAddress.network_id, sa.func.count()).group_by(FlatIpAddress.network_id)
        ).all()
    assert sorted(c for _, c in counts) == [3, 3]


def test_life_cycle(ipam_db, allocator):
    net = make_network(ipam_db, allocator, "10.0.0.0/29")
    got = [allocate(ipam_db, allocator, net) for _ in range(5)]
    assert got == [f"10.0.0.{i}" for i in range(2, 7)]
    with pytest.raises(exceptions.NoMoreFixedIps):
        allocate(ipam_db, allocator, net)
    with ipam_db.writer() as session:
        allocator.deallocate(session.connection(), net, "10.0.0.5", free_now=True)
    with ipam_db.writer() as session:
        allocator.deallocate(session.connection(), net, "10.0.0.3", free_now=True)
    assert allocate(ipam_db, allocator, net) == "10.0.0.5"  # longest free first
    with pytest.raises(exceptions.FixedIpAlreadyInUse):
        allocate(ipam_db, allocator, net, address="10.0.0.5")
    with ipam_db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.3", True)
    with pytest.raises(exceptions.NoMoreFixedIps):
        allocate(ipam_db, allocator, net)
    with ipam_db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.3", False)
    assert allocate(ipam_db, allocator, net, address="10.0.0.3") == "10.0.0.3"


def test_cursor_scan_is_cheap_at_the_end_of_a_slash_16(ipam_db, allocator):
    net = make_network(ipam_db, allocator, "10.0.0.0/16", network_size=65536)
    with ipam_db.writer() as session:
        session.execute(
            sa.update(FlatNetwork)
            .where(FlatNetwork.id == net)
            .values(next_address=167772160 + 60000)
        )
    assert allocate(ipam_db, allocator, net) == "10.0.234.96"
