"""The flat_dhcp plugin on SQLite, its REST API, and contexts.

The plugin is built the way ``NetworkServiceManager.load`` builds it (its
options registered under ``[flat_dhcp]``, an in-process notifier) but
without calling the host-side getters, so these tests need no data plane.
"""

from __future__ import annotations

import queue

import pytest
from netservice_flat_dhcp.plugin import FlatDhcpPlugin

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.manager import NetworkServiceManager
from netservice.core.notify import Change, InProcessNotifier
from netservice.core.plugin import PluginContext
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

NAME = "flat_dhcp"
ADMIN = RequestContext.admin("ops")
P1 = RequestContext("p1")
P2 = RequestContext("p2")


def open_flat_dhcp(config_file: str, host: str | None = None) -> NetworkServiceManager:
    """A manager holding only flat_dhcp, its schema synced."""
    conf = make_conf(config_file)
    conf.register_opts(list(FlatDhcpPlugin.CONFIG_OPTS), group=NAME)
    database = Database(conf.database.connection)
    notifier = InProcessNotifier()
    context = PluginContext(
        name=NAME,
        config=conf[NAME],
        database=database,
        host=host or conf.host,
        state_path=conf.state_path,
        global_config=conf,
        notifier=notifier,
    )
    manager = NetworkServiceManager({NAME: FlatDhcpPlugin(context)}, NAME, database, notifier)
    bootstrap.sync_schema(manager)
    return manager


def drain(changes: queue.SimpleQueue[Change]) -> list[str | None]:
    """The network ids notified so far, in order."""
    found = []
    while not changes.empty():
        found.append(changes.get_nowait().network_id)
    return found


@pytest.fixture
def dhcp_extra():
    return {}


@pytest.fixture
def dhcp_config_file(tmp_path, dhcp_extra):
    return write_config(str(tmp_path / "cfg"), [], default=NAME, extra=dhcp_extra)


@pytest.fixture
def dhcp_manager(dhcp_config_file):
    manager = open_flat_dhcp(dhcp_config_file)
    yield manager
    manager.database.dispose()


@pytest.fixture
def dhcp(dhcp_manager):
    return dhcp_manager.get(NAME)


@pytest.fixture
def changes(dhcp_manager):
    """The changes flat_dhcp publishes from now on."""
    return dhcp_manager.notifier.subscribe(NAME)


@pytest.fixture
def dhcp_app(dhcp_config_file, dhcp_manager):
    return build_app(make_conf(dhcp_config_file), dhcp_manager)


@pytest.fixture
def api(dhcp_app):
    """Project p1's client."""
    return ApiClient(dhcp_app, project_id="p1")


@pytest.fixture
def admin_api(dhcp_app):
    return ApiClient(dhcp_app, project_id="ops", roles=("admin",))


@pytest.fixture
def network(admin_api):
    """One /24 FlatDHCP network, 10.0.0.0/24, unassigned."""
    reply = admin_api.post(
        f"/v1.0/{NAME}/networks", {"network": {"label": "net", "cidr": "10.0.0.0/24"}}
    )
    assert reply.status == 201, reply.body
    return reply.json()["networks"][0]


@pytest.fixture
def pool(dhcp):
    """Floating IPs 203.0.113.1-14 in pool nova."""
    dhcp.floating.create_range("203.0.113.0/28", "nova")
    return "nova"
