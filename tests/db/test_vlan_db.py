"""VLAN's service layer and REST API on SQLite, PostgreSQL and MariaDB: the free
network claim and the VPN port under concurrency."""

from __future__ import annotations

import threading

import pytest
from netservice_vlan.exceptions import NoMoreNetworks, VpnPortInUse

from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.ipam.planner import NetworkRequest
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from tests.unit.vlan.conftest import open_vlan

BASE = "/v1.0/vlan"


@pytest.fixture
def vlan_db(tmp_path, db_url):
    path = write_config(str(tmp_path / "vlancfg"), [], default="vlan", connection=db_url,
                        extra={"vlan": {"vlan_interface": "eth1"}})  # fmt: skip
    manager = open_vlan(path)
    yield manager, path
    manager.database.dispose()


@pytest.fixture
def plugin(vlan_db):
    return vlan_db[0].get("vlan")


@pytest.fixture
def client(vlan_db):
    manager, path = vlan_db
    return ApiClient(build_app(make_conf(path), manager), project_id="p1")


def _threads(count, target):
    start = threading.Barrier(count)
    results = {}

    def run(index):
        start.wait()
        try:
            results[index] = target(index)
        except Exception as err:  # the test inspects what each got
            results[index] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_rest_round_trip(client, plugin):
    admin = client.as_project("ops", "admin")
    body = {"network": {"label": "a", "cidr": "10.0.0.0/8", "num_networks": 3, "network_size": 16}}
    made = admin.post(f"{BASE}/networks", body)
    assert made.status == 201, made.body
    assert [n["vlan"] for n in made.json()["networks"]] == [200, 201, 202]
    vnic = client.post(f"{BASE}/vnics", {"vnic": {"instance_id": "i-1"}}).json()["vnic"]
    port = client.post(f"{BASE}/ports", {"port": {"vnic_id": vnic["id"]}}).json()["port"]
    assert port["address"] == "10.0.0.3"
    vpn = client.post(f"{BASE}/vnics", {"vnic": {"instance_id": "cloudpipe"}}).json()["vnic"]
    bound = admin.post(f"{BASE}/ports", {"port": {"vnic_id": vpn["id"], "vpn": True}})
    assert bound.json()["port"]["address"] == "10.0.0.2"
    net_id = made.json()["networks"][0]["id"]
    assert admin.delete(f"{BASE}/networks/{net_id}").status == 409  # the project's
    change = {"vpn": {"public_address": "192.0.2.1", "public_port": 1194}}
    assert admin.put(f"{BASE}/projects/p1/vpn", change).status == 200
    assert client.get(f"{BASE}/projects/p1/vpn").json()["vpn"]["public_port"] == 1194


def test_free_network_claim_is_one_network_per_project_under_concurrency(plugin):
    plugin.networks.create(NetworkRequest(label="n", cidr="10.0.0.0/16", num_networks=3,
                                          network_size=256))  # fmt: skip
    got = _threads(8, lambda i: plugin.networks.network_for_project(f"p{i % 4}"))
    by_project: dict[str, set] = {}
    for index, result in got.items():
        key = f"p{index % 4}"
        outcome = "none" if isinstance(result, NoMoreNetworks) else result.id
        assert outcome == "none" or not isinstance(result, Exception), result
        by_project.setdefault(key, set()).add(outcome)
    assert all(len(outcomes) == 1 for outcomes in by_project.values()), by_project
    winners = {p: ids.pop() for p, ids in by_project.items()}
    assert sorted(v for v in winners.values() if v != "none") == sorted(
        n.id for n in plugin.networks.list()
    )
    assert list(winners.values()).count("none") == 1
    owners = {n.project_id for n in plugin.networks.list()}
    assert owners == {p for p, v in winners.items() if v != "none"}


def test_vnic_creation_of_first_boots_claims_once(plugin):
    plugin.networks.create(NetworkRequest(label="n", cidr="10.0.0.0/16", num_networks=2,
                                          network_size=256))  # fmt: skip
    ctx = RequestContext("p1")
    cards = _threads(6, lambda i: plugin.vnics.create(ctx))
    assert len({card.network_id for card in cards.values()}) == 1
    assert [n.project_id for n in plugin.networks.list()] == ["p1", None]


def test_one_vpn_port_goes_to_one_project_under_concurrency(plugin):
    plugin.networks.create(NetworkRequest(label="n", cidr="10.0.0.0/16", num_networks=4,
                                          network_size=256))  # fmt: skip
    for index in range(4):
        plugin.networks.network_for_project(f"p{index}")
    got = _threads(4, lambda i: plugin.vpns.change(f"p{i}", "192.0.2.1", 1194))
    won = [r for r in got.values() if not isinstance(r, Exception)]
    lost = [r for r in got.values() if isinstance(r, VpnPortInUse)]
    assert (len(won), len(lost)) == (1, 3)
    ports = [(v.public_address, v.public_port) for v in plugin.vpns.list()]
    assert ports.count(("192.0.2.1", 1194)) == 1
