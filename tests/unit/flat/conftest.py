"""A configuration loading the flat plugin on SQLite, and clients for its API."""

from __future__ import annotations

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

ADMIN = RequestContext.admin("ops")
P1 = RequestContext("p1")
P2 = RequestContext("p2")


@pytest.fixture
def flat_extra():
    return {}


@pytest.fixture
def flat_config_file(tmp_path, flat_extra):
    return write_config(str(tmp_path / "cfg"), ["flat", "test"], default="flat", extra=flat_extra)


@pytest.fixture
def flat_manager(flat_config_file):
    manager = bootstrap.open_services(make_conf(flat_config_file))
    bootstrap.sync_schema(manager)
    yield manager
    manager.database.dispose()


@pytest.fixture
def flat(flat_manager):
    return flat_manager.get("flat")


@pytest.fixture
def flat_app(flat_config_file, flat_manager):
    return build_app(make_conf(flat_config_file), flat_manager)


@pytest.fixture
def api(flat_app):
    """Project p1's client."""
    return ApiClient(flat_app, project_id="p1")


@pytest.fixture
def admin_api(flat_app):
    return ApiClient(flat_app, project_id="ops", roles=("admin",))


@pytest.fixture
def network(admin_api):
    """One /24 flat network, 10.0.0.0/24, unassigned."""
    reply = admin_api.post(
        "/v1.0/flat/networks", {"network": {"label": "net", "cidr": "10.0.0.0/24"}}
    )
    assert reply.status == 201, reply.body
    return reply.json()["networks"][0]
