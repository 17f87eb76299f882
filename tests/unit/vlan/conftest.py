"""The vlan plugin on SQLite, its REST API, and contexts.

The plugin is built the way ``NetworkServiceManager.load`` builds it (its
options registered under ``[vlan]``, an in-process notifier) but without
calling the host-side getters, so these tests need no data plane.
"""

from __future__ import annotations

import queue

import pytest
import sqlalchemy as sa
from netservice_vlan.plugin import VlanPlugin

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.manager import NetworkServiceManager
from netservice.core.notify import Change, InProcessNotifier
from netservice.core.plugin import PluginContext
from netservice.ipam.planner import NetworkRequest
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

NAME = "vlan"
ADMIN = RequestContext.admin("ops")
P1 = RequestContext("p1")
P2 = RequestContext("p2")
BASE = "/v1.0/vlan"


def open_vlan(config_file: str, host: str | None = None) -> NetworkServiceManager:
    """A manager holding only vlan, its schema synced."""
    conf = make_conf(config_file)
    conf.register_opts(list(VlanPlugin.CONFIG_OPTS), group=NAME)
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
    manager = NetworkServiceManager({NAME: VlanPlugin(context)}, NAME, database, notifier)
    bootstrap.sync_schema(manager)
    return manager


def drain(changes: queue.SimpleQueue[Change]) -> list[str | None]:
    """The network ids notified so far, in order."""
    found = []
    while not changes.empty():
        found.append(changes.get_nowait().network_id)
    return found


def counts(plugin) -> dict[str, int]:
    """Rows in every vlan table: a refused request must leave these unchanged."""
    schema = plugin.schema
    with plugin.context.database.writer() as session:
        return {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (schema.network, schema.fixed_ip, schema.vnic, schema.floating_ip)
        }


def snapshot(plugin) -> list[tuple]:
    """Every network's association and VPN columns: what a refused change must not touch."""
    net = plugin.schema.network
    with plugin.context.database.writer() as session:
        rows = session.execute(
            sa.select(net.id, net.project_id, net.host, net.vlan, net.vpn_public_address,
                      net.vpn_public_port, net.deleted).order_by(net.id)
        ).all()  # fmt: skip
    return [tuple(row) for row in rows]


def make_networks(plugin, count=3, *, cidr="10.0.0.0/16", size=256, **kw):
    rows, _ = plugin.networks.create(
        NetworkRequest(label="net", cidr=cidr, num_networks=count, network_size=size, **kw)
    )
    return rows


@pytest.fixture
def vlan_extra():
    return {"vlan": {"vlan_interface": "eth1"}}


@pytest.fixture
def vlan_config_file(tmp_path, vlan_extra):
    return write_config(str(tmp_path / "cfg"), [], default=NAME, extra=vlan_extra)


@pytest.fixture
def vlan_manager(vlan_config_file):
    manager = open_vlan(vlan_config_file)
    yield manager
    manager.database.dispose()


@pytest.fixture
def vlan(vlan_manager):
    return vlan_manager.get(NAME)


@pytest.fixture
def changes(vlan_manager):
    """The changes vlan publishes from now on."""
    return vlan_manager.notifier.subscribe(NAME)


@pytest.fixture
def vlan_app(vlan_config_file, vlan_manager):
    return build_app(make_conf(vlan_config_file), vlan_manager)


@pytest.fixture
def api(vlan_app):
    """Project p1's client."""
    return ApiClient(vlan_app, project_id="p1")


@pytest.fixture
def admin_api(vlan_app):
    return ApiClient(vlan_app, project_id="ops", roles=("admin",))


@pytest.fixture
def pool(vlan):
    """Floating IPs 203.0.113.1-14 in pool nova."""
    vlan.floating.create_range("203.0.113.0/28", "nova")
    return "nova"
