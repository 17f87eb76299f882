"""Fixtures shared by every tier: a configuration around the test plugins."""

from __future__ import annotations

import os

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.manager import NetworkServiceManager
from netservice.testing import databases
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

TEST_SERVICES = ("test", "test_other")


def skip_or_fail(reason: str) -> None:
    """Skip with a one-line reason, except under CI, where every tier must run."""
    if databases.in_ci():
        pytest.fail(f"CI=true but this test cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture
def config_file(tmp_path):
    return write_config(str(tmp_path), TEST_SERVICES, default="test")


@pytest.fixture
def conf(config_file):
    return make_conf(config_file)


@pytest.fixture
def manager(conf) -> NetworkServiceManager:
    loaded = bootstrap.open_services(conf)
    bootstrap.sync_schema(loaded)
    yield loaded
    loaded.database.dispose()


@pytest.fixture
def app(conf, manager):
    return build_app(conf, manager)


@pytest.fixture
def client(app) -> ApiClient:
    return ApiClient(app, project_id="p1")


@pytest.fixture
def admin(app) -> ApiClient:
    return ApiClient(app, project_id="admin-project", roles=("admin",))


def pytest_report_header(config):
    return [f"netservice tests: root={os.geteuid() == 0} CI={databases.in_ci()}"]
