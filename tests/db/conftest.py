"""The database tier: the same service-layer tests on SQLite, PostgreSQL and MariaDB.

Each server test gets a database of its own, created and dropped here.
Off CI an unreachable server skips with a one-line reason; on CI it fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.testing import databases
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from tests.conftest import TEST_SERVICES, skip_or_fail

BACKENDS = ["sqlite", "postgresql", "mysql"]


def engine_database(backend: str, directory: object) -> Iterator[str]:
    """A fresh database on ``backend``, dropped afterwards (SQLite: a file in ``directory``)."""
    if backend == "sqlite":
        yield f"sqlite:///{directory}/db.sqlite"
        return
    server = databases.server_url(backend)
    reason = databases.unreachable_reason(server)
    if reason:
        skip_or_fail(f"{backend}: {reason}")
    url, name = databases.fresh_schema(server)
    yield url
    databases.drop_schema(server, name)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    yield from engine_database(request.param, tmp_path)


@pytest.fixture
def db_config_file(tmp_path, db_url):
    return write_config(str(tmp_path / "cfg"), TEST_SERVICES, default="test", connection=db_url)


@pytest.fixture
def db_manager(db_config_file):
    manager = bootstrap.open_services(make_conf(db_config_file))
    bootstrap.sync_schema(manager)
    yield manager
    manager.database.dispose()


@pytest.fixture
def db_client(db_config_file, db_manager):
    return ApiClient(build_app(make_conf(db_config_file), db_manager), project_id="p1")
