"""FlatDHCP's service layer and REST API on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime
import threading

import pytest

from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.ipam.planner import NetworkRequest
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from tests.unit.flat_dhcp.conftest import open_flat_dhcp

P1 = RequestContext("p1")
BASE = "/v1.0/flat_dhcp"


@pytest.fixture
def dhcp_db(tmp_path, db_url):
    path = write_config(str(tmp_path / "dhcpcfg"), [], default="flat_dhcp", connection=db_url)
    manager = open_flat_dhcp(path)
    yield manager, path
    manager.database.dispose()


@pytest.fixture
def plugin(dhcp_db):
    return dhcp_db[0].get("flat_dhcp")


@pytest.fixture
def client(dhcp_db):
    manager, path = dhcp_db
    return ApiClient(build_app(make_conf(path), manager), project_id="p1")


def _threads(count, target):
    start = threading.Barrier(count)
    results = {}

    def run(index):
        start.wait()
        results[index] = target(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_rest_round_trip_with_a_floating_ip(client, plugin):
    admin = client.as_project("ops", "admin")
    net = admin.post(f"{BASE}/networks", {"network": {"label": "a", "cidr": "10.0.0.0/24"}})
    assert net.status == 201, net.body
    net_id = net.json()["networks"][0]["id"]
    plugin.floating.create_range("203.0.113.0/30")
    vnic = client.post(f"{BASE}/vnics", {"vnic": {"instance_id": "i-1"}}).json()["vnic"]
    port = client.post(f"{BASE}/ports", {"port": {"vnic_id": vnic["id"]}}).json()["port"]
    assert port["address"] == "10.0.0.2"
    fip = client.post(f"{BASE}/floating_ips", {"floating_ip": {}}).json()["floating_ip"]
    done = client.post(f"{BASE}/floating_ips/{fip['ip']}/action",
                       {"associate": {"fixed_address": "10.0.0.2"}})  # fmt: skip
    assert done.status == 200 and done.json()["floating_ip"]["fixed_ip"] == "10.0.0.2"
    (lease,) = admin.get(f"{BASE}/networks/{net_id}/leases").json()["leases"]
    assert lease["mac_address"] == vnic["mac_address"]
    assert admin.delete(f"{BASE}/networks/{net_id}").status == 409
    assert client.delete(f"{BASE}/vnics/{vnic['id']}").status == 204
    assert client.get(f"{BASE}/floating_ips/{fip['ip']}").json()["floating_ip"]["fixed_ip"] is None
    assert admin.delete(f"{BASE}/networks/{net_id}").status == 204


def test_set_network_host_has_one_winner(plugin):
    (net,), _ = plugin.networks.create(NetworkRequest(label="a", cidr="10.0.0.0/24"))
    answers = _threads(8, lambda i: plugin.networks.set_network_host(net.uuid, f"net-{i}"))
    assert len(set(answers.values())) == 1
    assert plugin.networks.get(net.uuid).host == answers[0]


def test_one_host_address_per_host_under_concurrency(plugin):
    request = NetworkRequest(label="m", cidr="10.2.0.0/24", multi_host=True)
    (net,), _ = plugin.networks.create(request)
    answers = _threads(6, lambda i: plugin.networks.claim_dhcp_address(net.uuid, f"c-{i % 2}"))
    assert len({answers[i] for i in (0, 2, 4)}) == 1 and len({answers[i] for i in (1, 3, 5)}) == 1
    assert answers[0] != answers[1]
    # The reserved network, gateway and broadcast addresses, and one row per host.
    assert len(plugin.networks.fixed_list()) == 5


def test_dhcp_life_cycle_and_timeout_sweep(plugin):
    (net,), _ = plugin.networks.create(NetworkRequest(label="a", cidr="10.0.0.0/24"))
    plugin.networks.set_network_host(net.uuid, "net-1")
    cards = [plugin.vnics.create(P1) for _ in range(2)]
    for card in cards:
        plugin.vnics.bind(P1, card.id)
    with plugin.context.database.write_connection() as conn:
        plugin.allocator.lease(conn, net.id, "10.0.0.2")
        plugin.allocator.lease(conn, net.id, "10.0.0.3")
    for card in cards:
        plugin.vnics.unbind(P1, card.id)
    held = [plugin.networks.get_fixed_ip_by_address(a) for a in ("10.0.0.2", "10.0.0.3")]
    assert [(r.allocated, r.leased) for r in held] == [(False, True), (False, True)]
    with plugin.context.database.write_connection() as conn:
        assert plugin.allocator.release(conn, net.id, "10.0.0.2", vnic_id=cards[0].id)
    later = utcnow() + datetime.timedelta(seconds=601)
    assert plugin.networks.disassociate_expired("net-1", now=later) == 1
    assert plugin.vnics.bind(P1, plugin.vnics.create(P1).id) == "10.0.0.2"
    assert plugin.vnics.bind(P1, plugin.vnics.create(P1).id) == "10.0.0.3"
