"""Floating IPs on SQLite, PostgreSQL and MariaDB: schema, life cycle, concurrency.

The tables are created as a plugin's migration creates them (the column
helpers), on the test schema of ``tests/unit/floating/schema.py``.
"""

from __future__ import annotations

import collections
import multiprocessing
import queue

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.notify import InProcessNotifier
from netservice.floating import exceptions, locking
from netservice.floating.service import FloatingIps
from netservice.testing import databases
from tests.conftest import skip_or_fail
from tests.unit.floating import schema

PROCESSES = 8
ALICE = RequestContext("alice")
BOB = RequestContext("bob")


@pytest.fixture
def fdb(db_url):
    database = Database(db_url)
    schema.migration_metadata().create_all(database.engine)
    yield database
    database.dispose()


def _service(database, quota=10, notifier=None):
    return FloatingIps(
        database,
        schema.FloatingIp,
        schema.FixedIp,
        quota=quota,
        notifier=notifier,
        service_name="fiptest" if notifier else None,
    )


def test_the_models_match_the_migration_helpers(fdb):
    with fdb.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.Base.metadata)
    assert diff == []


def test_life_cycle(fdb):
    notifier = InProcessNotifier()
    changes = notifier.subscribe("fiptest")
    floating = _service(fdb, quota=2, notifier=notifier)
    network = schema.make_network(fdb)
    x1, x2 = (schema.allocate_fixed(fdb, network, f"i-{i}") for i in (1, 2))
    assert floating.create_range("203.0.113.0/29", interface="eth1") == 6
    with pytest.raises(exceptions.FloatingIpExists):
        floating.create_range("203.0.113.4")
    f1 = floating.allocate(ALICE).address
    floating.allocate(ALICE)
    with pytest.raises(exceptions.FloatingIpQuotaExceeded):
        floating.allocate(ALICE)
    with pytest.raises(exceptions.FloatingIpPoolNotFound):
        floating.allocate(BOB, pool="nope")
    with pytest.raises(exceptions.FloatingIpNotFound):
        floating.associate(BOB, f1, x1, "host-a")
    assert floating.associate(ALICE, f1, x1, "host-a").changed
    moved = floating.associate(ALICE, f1, x2, "host-a")
    assert moved.previous_fixed_address == x1
    with pytest.raises(exceptions.FloatingIpAssociated):
        floating.deallocate(ALICE, f1)
    with pytest.raises(exceptions.FloatingIpRangeInUse):
        floating.delete_range("203.0.113.0/29")
    assert floating.bound_on_host("host-a") == [(f1, x2, "eth1")]
    assert floating.get_instance_id_by_floating_address(f1) == "i-2"
    assert floating.disassociate(ALICE, f1) == x2
    assert floating.deallocate(ALICE, f1)
    auto = floating.auto_assign_floating_ip(ALICE, x1, host="host-a").floating_address
    assert [b.floating_address for b in floating.release_for_instance([x1])] == [auto]
    assert floating.get_floating_ips_by_project("alice")[0].address != auto
    assert floating.delete_range("203.0.113.0/29", force=True) == 6
    delivered = []
    while True:
        try:
            delivered.append(changes.get_nowait().network_id)
        except queue.Empty:
            break
    # associate, move (one network), disassociate, auto-assign, release
    assert delivered == [str(network)] * 5


def test_a_failed_bind_rolls_back(fdb):
    floating = _service(fdb)
    network = schema.make_network(fdb)
    x1 = schema.allocate_fixed(fdb, network)
    floating.create_range("203.0.113.0/30")
    f1 = floating.allocate(ALICE).address
    before = schema.floating_rows(fdb)

    def fail(*_args):
        raise RuntimeError("no public interface")

    with pytest.raises(RuntimeError):
        floating.associate(ALICE, f1, x1, "host-a", bind=fail)
    assert schema.floating_rows(fdb) == before


# --- concurrency -------------------------------------------------------------------


def _allocating_worker(args):
    url, project_of, attempts, quota, start = args
    start.wait()
    database = Database(url)
    floating = _service(database, quota=quota)
    got, refused, errors = [], collections.Counter(), []
    for i in range(attempts):
        project = project_of(i)
        try:
            got.append(floating.allocate(RequestContext(project)).address)
        except (exceptions.NoMoreFloatingIps, exceptions.FloatingIpQuotaExceeded) as err:
            refused[type(err).__name__] += 1
        except Exception as err:  # anything else is a failure the test reports
            errors.append(f"{type(err).__name__}: {err}")
    database.dispose()
    return got, refused, errors


def _own_project(i):
    return f"p{multiprocessing.current_process().name}-{i}"


def _one_project(_i):
    return "shared"


def _run(url, project_of, attempts, quota):
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(PROCESSES) as pool:
            pending = pool.map_async(
                _allocating_worker,
                [(url, project_of, attempts, quota, start)] * PROCESSES,
                chunksize=1,
            )
            start.set()
            results = pending.get(timeout=120)
    got = [a for addresses, _, _ in results for a in addresses]
    refused = sum((r for _, r, _ in results), collections.Counter())
    errors = [e for _, _, errs in results for e in errs]
    return got, refused, errors


def test_eight_processes_drain_a_pool_without_duplicates(fdb, db_url):
    _service(fdb).create_range("203.0.113.0/24")  # 254 addresses
    got, refused, errors = _run(db_url, _own_project, 40, quota=-1)  # 320 attempts
    assert errors == []
    assert len(got) == 254
    assert [a for a, n in collections.Counter(got).items() if n > 1] == []
    assert refused == {"NoMoreFloatingIps": 320 - 254}


def test_eight_processes_of_one_project_stop_exactly_at_the_quota(fdb, db_url):
    floating = _service(fdb)
    floating.create_range("203.0.113.0/25")
    got, refused, errors = _run(db_url, _one_project, 3, quota=5)  # 24 attempts
    assert errors == []
    assert len(got) == len(set(got)) == 5
    assert refused == {"FloatingIpQuotaExceeded": 24 - 5}
    assert floating.usage("shared") == 5


def _churning_worker(args):
    url, fixed_address, shared, rounds, start = args
    start.wait()
    database = Database(url)
    floating = _service(database, quota=50)  # limited: takes the project's lock
    admin = RequestContext.admin()
    errors = []
    for _ in range(rounds):
        try:
            # Everyone moves one shared address onto their own fixed IP, while
            # the others take it away from theirs: fixed-then-floating locks.
            floating.associate(admin, shared, fixed_address, "host-a")
            floating.release_for_instance([fixed_address])
            own = floating.allocate(RequestContext(fixed_address)).address
            floating.associate(admin, own, fixed_address, "host-a")
            floating.disassociate(admin, own)
            floating.deallocate(admin, own)
            floating.auto_assign_floating_ip(admin, fixed_address, project_id="p")
            floating.release_for_instance([fixed_address])
        except Exception as err:  # a deadlock or lock timeout is a failure
            errors.append(f"{type(err).__name__}: {err}")
    database.dispose()
    return errors


def test_eight_processes_churning_one_address_never_deadlock(fdb, db_url):
    floating = _service(fdb)
    network = schema.make_network(fdb)
    fixed = [schema.allocate_fixed(fdb, network, f"i-{i}") for i in range(PROCESSES)]
    floating.create_range("203.0.113.0/27")
    shared = floating.allocate(ALICE).address
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(PROCESSES) as pool:
            pending = pool.map_async(
                _churning_worker, [(db_url, x, shared, 10, start) for x in fixed], chunksize=1
            )
            start.set()
            errors = [e for errs in pending.get(timeout=120) for e in errs]
    assert errors == []
    record = floating.get_floating_ip_by_address(shared)
    assert record.project_id == "alice"  # released by hand-allocated: still alice's
    assert [r.address for r in floating.get_floating_ips_by_project("alice")] == [shared]
    assert len([r for r in floating.list() if r.project_id]) == 1


# --- the project lock -------------------------------------------------------------------


@pytest.fixture
def mariadb_url():
    server = databases.server_url("mysql")
    reason = databases.unreachable_reason(server)
    if reason:
        skip_or_fail(f"mysql: {reason}")
    url, name = databases.fresh_schema(server)
    yield url
    databases.drop_schema(server, name)


def test_a_project_lock_not_granted_in_time_is_a_timeout(mariadb_url, monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_SECONDS", 1)
    database = Database(mariadb_url)
    schema.migration_metadata().create_all(database.engine)
    floating = _service(database)
    floating.create_range("203.0.113.0/30")
    other = Database(mariadb_url)
    try:
        with other.engine.connect() as holder:
            got = holder.scalar(sa.select(sa.func.get_lock(floating.store.lock_name("alice"), 5)))
            assert got == 1, "held elsewhere on this server (lock names are server-wide)"
            before = schema.floating_rows(database)
            with pytest.raises(exceptions.FloatingIpLockTimeout) as caught:
                floating.allocate(ALICE)
            assert "alice" in caught.value.message
            assert schema.floating_rows(database) == before
            assert floating.allocate(BOB).project_id == "bob"  # other projects do not wait
        other.dispose()  # the holder's server session ends, and its lock with it
        assert floating.allocate(ALICE).project_id == "alice"
    finally:
        other.dispose()
        database.dispose()


def test_the_project_lock_is_released_after_a_refusal(mariadb_url):
    database = Database(mariadb_url)
    schema.migration_metadata().create_all(database.engine)
    floating = _service(database, quota=1)
    floating.create_range("203.0.113.0/30")
    floating.allocate(ALICE)
    for _ in range(2):
        with pytest.raises(exceptions.FloatingIpQuotaExceeded):
            floating.allocate(ALICE)
    with database.engine.connect() as conn:
        name = floating.store.lock_name("alice")
        assert conn.scalar(sa.select(sa.func.is_free_lock(name))) == 1
    database.dispose()


def test_the_first_free_address_is_one_index_read_without_a_sort(fdb):
    floating = _service(fdb)
    floating.create_range("100.64.0.0/20")
    with fdb.engine.connect() as conn:
        query = floating.allocations.first_free_query(conn.dialect)
        compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": False})
        sql = str(compiled)
        params = compiled.construct_params({"pool": "nova"})
        if conn.dialect.name == "sqlite":
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params.values())).all()
        else:
            plan = conn.exec_driver_sql(f"EXPLAIN {sql}", params).all()
    text = " ".join(str(value) for row in plan for value in row)
    assert "pool_free_idx" in text
    assert "Sort" not in text and "filesort" not in text and "TEMP B-TREE" not in text, text
