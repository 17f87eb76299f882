"""The REST API under /v1.0/vlan/, JSON and XML: FlatDHCP's shape, VLAN's network
create, os-networks' association actions, networks/add, the VPN instance's
port and the projects' VPNs, with a fault for each bad input and nothing written."""

from __future__ import annotations

import pytest

from netservice.core.network_info import NETWORK_INFO_KEYS
from tests.unit.vlan.conftest import BASE, counts, make_networks, snapshot

NETS = f"{BASE}/networks"


def _create(admin_api, **network):
    network.setdefault("label", "net")
    return admin_api.post(NETS, {"network": network})


def _fault(reply, status, name):
    assert reply.status == status, reply.body
    body = reply.json()
    assert list(body) == [name] and body[name]["code"] == status
    return body[name]["message"]


def test_network_create_with_vlan_options_json_and_xml(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/8", num_networks=3, network_size=16,
                    vlan_start=200, vpn_start=2000)  # fmt: skip
    assert reply.status == 201, reply.body
    nets = reply.json()["networks"]
    assert [(n["cidr"], n["vlan"], n["bridge"], n["dhcp_start"]) for n in nets] == [
        ("10.0.0.0/28", 200, "br200", "10.0.0.3"),
        ("10.0.0.16/28", 201, "br201", "10.0.0.19"),
        ("10.0.0.32/28", 202, "br202", "10.0.0.35"),
    ]
    xml = admin_api.get(f"{NETS}/{nets[1]['id']}.xml").xml()
    assert (xml.find("{*}vlan").text, xml.find("{*}bridge_interface").text) == ("201", "eth1")
    one = _create(admin_api, cidr="10.1.0.0/24", vlan=999)
    assert one.json()["networks"][0]["vlan"] == 999
    as_text = _create(admin_api, cidr="10.2.0.0/24", vlan="998")
    assert "'network.vlan': '998' is not of type 'integer'" in _fault(as_text, 400, "badRequest")


def test_vnic_and_port_on_the_projects_network(admin_api, api):
    _create(admin_api, cidr="10.0.0.0/24")
    card = api.post(f"{BASE}/vnics", {"vnic": {}}).json()["vnic"]
    port = api.post(f"{BASE}/ports", {"port": {"vnic_id": card["id"]}})
    assert port.status == 201, port.body
    assert port.json()["port"]["address"] == "10.0.0.3"
    info = api.get(f"{BASE}/vnics/{card['id']}/network_info").json()["network_info"]
    assert set(info) == NETWORK_INFO_KEYS and info["gateway"] == "10.0.0.1"
    # The network is now the project's: it sees it, another project does not.
    (mine,) = api.get(NETS).json()["networks"]
    assert mine["project_id"] == "p1"
    assert api.as_project("p2").get(f"{NETS}/{mine['id']}").status == 404


def test_the_vpn_port_is_an_admins_to_bind(admin_api, api):
    _create(admin_api, cidr="10.0.0.0/24")
    card = api.post(f"{BASE}/vnics", {"vnic": {"instance_id": "cloudpipe"}}).json()["vnic"]
    body = {"port": {"vnic_id": card["id"], "vpn": True}}
    _fault(api.post(f"{BASE}/ports", body), 403, "forbidden")
    done = admin_api.post(f"{BASE}/ports", body)
    assert done.status == 201 and done.json()["port"]["address"] == "10.0.0.2"
    other = api.post(f"{BASE}/vnics", {"vnic": {}}).json()["vnic"]
    message = _fault(
        admin_api.post(f"{BASE}/ports", {"port": {"vnic_id": other["id"], "vpn": True}}),
        409, "conflictingRequest",
    )  # fmt: skip
    assert "10.0.0.2 is already in use" in message


def test_associate_and_disassociate_actions(vlan, admin_api, api):
    (net,) = make_networks(vlan, 1)
    action = f"{NETS}/{net.uuid}/action"
    done = admin_api.post(action, {"associate_project": "p1", "associate_host": "net-1"})
    assert done.status == 200, done.body
    assert (done.json()["network"]["project_id"], done.json()["network"]["host"]) == (
        "p1", "net-1",
    )  # fmt: skip
    assert admin_api.post(action, {"disassociate_host": None}).json()["network"]["host"] is None
    _fault(api.post(action, {"disassociate": None}), 403, "forbidden")
    cleared = admin_api.post(action, {"disassociate": None}).json()["network"]
    assert (cleared["project_id"], cleared["host"]) == (None, None)
    xml = admin_api.post(f"{action}.xml", {"associate_project": "p2"}).xml()
    assert xml.find("{*}project_id").text == "p2"


def test_networks_add_gives_a_project_a_free_network(vlan, admin_api, api):
    nets = make_networks(vlan, 2)
    done = admin_api.post(f"{NETS}/add", {"id": None, "project_id": "p1"})
    assert done.status == 200 and done.json()["network"]["id"] == nets[0].uuid
    named = admin_api.post(f"{NETS}/add", {"id": nets[1].uuid, "project_id": "p2"})
    assert named.json()["network"]["project_id"] == "p2"
    _fault(api.post(f"{NETS}/add", {}), 403, "forbidden")


def test_vpn_show_change_and_list(vlan, admin_api, api):
    make_networks(vlan, 2)
    vlan.networks.network_for_project("p1")
    shown = api.get(f"{BASE}/projects/p1/vpn").json()["vpn"]
    assert (shown["public_port"], shown["private_address"]) == (1000, "10.0.0.2")
    assert api.as_project("p2").get(f"{BASE}/projects/p1/vpn").status == 404
    body = {"vpn": {"public_address": "192.0.2.1", "public_port": 1194}}
    _fault(api.put(f"{BASE}/projects/p1/vpn", body), 403, "forbidden")
    changed = admin_api.put(f"{BASE}/projects/p1/vpn", body).json()["vpn"]
    assert (changed["public_address"], changed["public_port"]) == ("192.0.2.1", 1194)
    xml = api.get(f"{BASE}/projects/p1/vpn.xml").xml()
    assert xml.find("{*}public_address").text == "192.0.2.1"
    assert [v["project_id"] for v in admin_api.get(f"{BASE}/vpns").json()["vpns"]] == ["p1"]
    _fault(api.get(f"{BASE}/vpns"), 403, "forbidden")
    _fault(admin_api.get(f"{BASE}/projects/p9/vpn"), 404, "itemNotFound")


# --- Bad input: each its own fault, nothing written ----------------------------------


def test_bad_vlan_out_of_range(vlan, admin_api):
    before = counts(vlan)
    message = _fault(_create(admin_api, cidr="10.0.0.0/24", vlan=4095), 400, "badRequest")
    assert "'vlan'" in message and "1..4094" in message
    assert counts(vlan) == before


def test_bad_vlan_in_use(vlan, admin_api):
    _create(admin_api, cidr="10.0.0.0/24", vlan=7)
    before = counts(vlan)
    message = _fault(_create(admin_api, cidr="10.1.0.0/24", vlan=7), 409, "conflictingRequest")
    assert "VLAN 7 is already used" in message
    assert counts(vlan) == before


def test_bad_num_networks_plus_vlan_start(vlan, admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/8", num_networks=5, network_size=16,
                    vlan_start=4092)  # fmt: skip
    assert "exceeds 4094" in _fault(reply, 400, "badRequest")
    assert counts(vlan)["vlan_networks"] == 0


def test_bad_range_too_small(vlan, admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", num_networks=3, network_size=128)
    assert "not big enough" in _fault(reply, 400, "badRequest")
    assert counts(vlan)["vlan_networks"] == 0


def test_bad_delete_of_an_associated_network(vlan, admin_api):
    (net,) = make_networks(vlan, 1)
    vlan.networks.associate(net.uuid, project="p1")
    before = counts(vlan)
    message = _fault(admin_api.delete(f"{NETS}/{net.uuid}"), 409, "conflictingRequest")
    assert "disassociate first" in message
    assert counts(vlan) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"disassociate_project": "p2"}, "disassociate_project"),
        ({"disassociate": "everything"}, "disassociate"),
        ({"associate_project": "p2", "disassociate_project": None}, "project"),
        ({"associate_host": "h", "disassociate_host": None}, "host"),
        ({"disassociate": None, "associate_project": "p2"}, "disassociate"),
    ],
)
def test_bad_disassociate_combined_with_a_value(vlan, admin_api, body, field):
    (net,) = make_networks(vlan, 1)
    vlan.networks.associate(net.uuid, project="p1", host="net-1")
    state = snapshot(vlan)
    message = _fault(admin_api.post(f"{NETS}/{net.uuid}/action", body), 400, "badRequest")
    assert f"'{field}'" in message
    assert snapshot(vlan) == state


def test_bad_no_free_network_left(vlan, admin_api, api):
    make_networks(vlan, 1)
    api.post(f"{BASE}/vnics", {"vnic": {}})
    before = counts(vlan)
    reply = api.as_project("p2").post(f"{BASE}/vnics", {"vnic": {}})
    assert "No free vlan network is left for project p2" in _fault(
        reply, 409, "conflictingRequest"
    )
    xml = api.as_project("p2").post(f"{BASE}/vnics.xml", {"vnic": {}})
    assert xml.status == 409 and b"conflictingRequest" in xml.body
    assert counts(vlan) == before


def test_bad_vpn_port_used_by_another_project(vlan, admin_api):
    make_networks(vlan, 2)
    vlan.networks.network_for_project("p1")
    vlan.networks.network_for_project("p2")
    body = {"vpn": {"public_address": "192.0.2.1", "public_port": 1194}}
    admin_api.put(f"{BASE}/projects/p1/vpn", body)
    state = snapshot(vlan)
    message = _fault(admin_api.put(f"{BASE}/projects/p2/vpn", body), 409, "conflictingRequest")
    assert "192.0.2.1:1194 is already used" in message and "project p1" in message
    assert snapshot(vlan) == state


def test_bad_bodies_are_refused_by_the_schema(vlan, admin_api):
    make_networks(vlan, 1)
    vlan.networks.network_for_project("p1")
    bad = admin_api.put(f"{BASE}/projects/p1/vpn", {"vpn": {"public_address": "192.0.2.1"}})
    assert bad.status == 400
    unknown = admin_api.post(f"{NETS}/{vlan.networks.list()[0].uuid}/action", {"frob": None})
    assert unknown.status == 400
