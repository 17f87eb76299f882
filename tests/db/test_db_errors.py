"""The database's failures as clients see them, on PostgreSQL and MariaDB.

- a connection the server dropped answers 503 with ``Retry-After``, once,
  and the next request works on a new connection;
- a server that is down is ``DatabaseUnavailable`` (503), not a 409 or 500;
- pooled connections idle past the stale limit are pinged without leaving a
  transaction open: idle past the limit (lowered from 30 s to ``STALE_SECONDS``
  for the test, so it idles seconds, not half a minute), then every pooled
  connection works.
"""

from __future__ import annotations

import contextlib
import time

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.core.db import api as db_api
from netservice.core.db import migration
from netservice.core.db import session as db_session
from netservice.core.db.session import Database
from netservice.core.wsgi import faults
from netservice.testing import databases
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from tests.conftest import TEST_SERVICES, skip_or_fail

SERVERS = ["postgresql", "mysql"]
DOWN = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:1/test",
}
STALE_SECONDS = 3.0  # the test's stale limit (db_session.STALE_AFTER_SECONDS is 30)
IDLE_SECONDS = 5
POOL_SIZE = 5  # SQLAlchemy's default QueuePool size


def _server(backend):
    url = databases.server_url(backend)
    reason = databases.unreachable_reason(url)
    if reason:
        skip_or_fail(f"{backend}: {reason}")
    return url


@pytest.fixture(params=SERVERS)
def server_db(request):
    server = _server(request.param)
    url, name = databases.fresh_schema(server)
    yield request.param, server, url, name
    databases.drop_schema(server, name)


def _kill_connections(server, name, keep=()):
    """End the server sessions on database ``name``, as a restart or a proxy would."""
    killer = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        if killer.dialect.name == "postgresql":
            pids = conn.scalars(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :db "
                    "AND pid <> pg_backend_pid()"
                ),
                {"db": name},
            ).all()
            pids = [p for p in pids if p not in keep]
            for pid in pids:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            pids = conn.scalars(
                sa.text(
                    "SELECT id FROM information_schema.processlist WHERE db = :db "
                    "AND id <> CONNECTION_ID()"
                ),
                {"db": name},
            ).all()
            pids = [p for p in pids if p not in keep]
            for pid in pids:
                conn.execute(sa.text(f"KILL {int(pid)}"))
    killer.dispose()
    return len(pids)


def _backend_id(conn):
    if conn.dialect.name == "postgresql":
        return conn.scalar(sa.text("SELECT pg_backend_pid()"))
    return conn.scalar(sa.text("SELECT CONNECTION_ID()"))


def test_a_dropped_connection_answers_503_with_retry_after_then_recovers(tmp_path, server_db):
    _, server, url, name = server_db
    path = write_config(str(tmp_path), TEST_SERVICES, default="test", connection=url)
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    api = ApiClient(build_app(make_conf(path), manager), project_id="p1")
    try:
        assert api.get("/v1.0/projects/p1/network_service").status == 200
        assert _kill_connections(server, name) >= 1
        dropped = api.get("/v1.0/projects/p1/network_service")
        assert dropped.status == 503, dropped.body
        assert int(dropped.headers["Retry-After"]) > 0
        assert "serviceUnavailable" in dropped.json()
        assert "database is unavailable" in dropped.json()["serviceUnavailable"]["message"]
        assert api.get("/v1.0/projects/p1/network_service").status == 200
    finally:
        manager.database.dispose()


@pytest.mark.parametrize("backend", SERVERS)
def test_a_server_that_is_down_is_unavailable_not_a_conflict(backend):
    database = Database(DOWN[backend], connect_args={"connect_timeout": 3})
    try:
        for call in (
            lambda: db_api.get_project_service(database, "p1"),
            lambda: db_api.list_instance_vnics(database, "vm"),
            lambda: db_api.attach_vnics(database, "vm", "p1", ["v"]),
        ):
            with pytest.raises(exceptions.DatabaseUnavailable) as caught:
                call()
            assert faults.status_for(caught.value) == 503
            assert faults.headers_for(caught.value, 503)["Retry-After"]
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def stale_limit():
    """The stale limit lowered to ``STALE_SECONDS`` for the module's idle tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db_session, "STALE_AFTER_SECONDS", STALE_SECONDS)
        yield STALE_SECONDS


@pytest.fixture(scope="module")
def idled_pools(stale_limit):
    """Both servers' pools filled, two connections of each killed, then one shared idle."""
    opened, skipped = {}, {}
    for backend in SERVERS:
        server = databases.server_url(backend)
        reason = databases.unreachable_reason(server)
        if reason:
            skipped[backend] = reason
            continue
        url, name = databases.fresh_schema(server)
        database = Database(url)
        migration.upgrade(database, migration.CORE_BRANCH)
        with contextlib.ExitStack() as stack:
            conns = [
                stack.enter_context(database.autocommit_connection()) for _ in range(POOL_SIZE)
            ]
            ids = [_backend_id(conn) for conn in conns]
        assert database.engine.pool.checkedin() == POOL_SIZE
        opened[backend] = (server, name, database, ids)
    for server, name, _, ids in opened.values():
        # Two of them die while idle (a server restart, a firewall's timeout).
        _kill_connections(server, name, keep=ids[2:])
    if opened:
        time.sleep(IDLE_SECONDS)
    yield opened, skipped
    for server, name, database, _ in opened.values():
        database.dispose()
        databases.drop_schema(server, name)


@pytest.mark.parametrize("backend", SERVERS)
def test_every_pooled_connection_works_after_idling_past_the_stale_limit(idled_pools, backend):
    opened, skipped = idled_pools
    if backend in skipped:
        skip_or_fail(f"{backend}: {skipped[backend]}")
    _, _, database, _ = opened[backend]
    assert IDLE_SECONDS > db_session.STALE_AFTER_SECONDS
    errors = []
    with contextlib.ExitStack() as stack:
        # Every pooled connection at once, first used by the autocommit path,
        # the one the old ping broke ("can't change 'autocommit' now").
        for _ in range(POOL_SIZE):
            try:
                conn = stack.enter_context(database.autocommit_connection())
                assert conn.scalar(sa.text("SELECT 1")) == 1
            except Exception as err:  # every failure is counted, and shown
                errors.append(f"{type(err).__name__}: {err}")
    for number in range(POOL_SIZE):
        try:
            db_api.set_project_service(database, f"p{number}", "test")
            assert db_api.get_project_service(database, f"p{number}") == "test"
        except Exception as err:
            errors.append(f"{type(err).__name__}: {err}")
    assert errors == []


@pytest.mark.parametrize(
    "value", [2**31, "nul\x00byte"], ids=["integer-out-of-range", "nul-in-text"]
)
def test_a_value_the_column_cannot_hold_is_a_bad_request_not_a_500(server_db, value):
    """The last line of defence behind input validation: 400, never 500."""
    backend, _, url, _ = server_db
    database = Database(url)
    try:
        with database.writer() as session:
            session.execute(sa.text("CREATE TABLE v (n INTEGER, t VARCHAR(20))"))
        column = "n" if isinstance(value, int) else "t"
        try:
            with database.writer() as session:
                session.execute(sa.text(f"INSERT INTO v ({column}) VALUES (:x)"), {"x": value})
        except exceptions.ValueOutOfRange as err:
            assert faults.status_for(err) == 400
        else:
            # MariaDB stores a NUL in text as it is; it must then read back intact.
            assert backend == "mysql" and column == "t"
            with database.transaction() as session:
                assert session.scalar(sa.text("SELECT t FROM v")) == value
    finally:
        database.dispose()
