"""The REST API under /v1.0/flat/, in JSON and XML, and every bad-input fault."""

from __future__ import annotations

import pytest

from netservice.core.network_info import NETWORK_INFO_KEYS

NETS = "/v1.0/flat/networks"


def _create(admin_api, **network):
    network.setdefault("label", "net")
    return admin_api.post(NETS, {"network": network})


def _count(admin_api):
    return len(admin_api.get(NETS).json()["networks"])


def test_create_list_show_detail(admin_api, api, network):
    assert network["cidr"] == "10.0.0.0/24" and network["bridge"] == "brflat"
    brief = api.get(NETS).json()["networks"]
    assert brief == [
        {"id": network["id"], "label": "net", "cidr": "10.0.0.0/24", "cidr_v6": None,
         "project_id": None,
         "links": [
             {"rel": "self", "href": f"http://localhost{NETS}/{network['id']}"},
             {"rel": "bookmark",
              "href": f"http://localhost{NETS.removeprefix('/v1.0')}/{network['id']}"},
         ]}
    ]  # fmt: skip
    assert api.get(f"{NETS}/detail").json()["networks"][0]["gateway"] == "10.0.0.1"
    assert api.get(f"{NETS}/{network['id']}").json()["network"]["dns1"] == "8.8.4.4"
    xml = api.get(f"{NETS}/{network['id']}.xml").xml()
    assert xml.find("{*}cidr").text == "10.0.0.0/24"


def test_create_in_xml_with_several_networks(admin_api):
    body = (
        b"<network><label>x</label><cidr>10.1.0.0/16</cidr>"
        b"<num_networks>2</num_networks><network_size>256</network_size></network>"
    )
    reply = admin_api.post(NETS, body, content_type="application/xml")
    assert reply.status == 201, reply.body
    assert [n["label"] for n in reply.json()["networks"]] == ["x_0", "x_1"]


def test_create_needs_admin(api):
    assert _create(api, cidr="10.0.0.0/24").status == 403


def test_modify_and_delete(admin_api, network):
    url = f"{NETS}/{network['id']}"
    reply = admin_api.put(url, {"network": {"project_id": "p1", "host": "h1"}})
    assert reply.json()["network"]["project_id"] == "p1"
    assert admin_api.delete(url).status == 409  # disassociate first
    assert admin_api.put(url, {"network": {"project_id": None}}).status == 200
    assert admin_api.delete(url).status == 204
    assert admin_api.get(url).status == 404


def test_another_projects_network_is_hidden(admin_api, flat_app):
    from netservice.testing.client import ApiClient

    net = _create(admin_api, cidr="10.0.0.0/24", project_id="p2").json()["networks"][0]
    p1 = ApiClient(flat_app, project_id="p1")
    assert p1.get(f"{NETS}/{net['id']}").status == 404
    assert p1.get(NETS).json()["networks"] == []


# --- VNICs, ports, network info -------------------------------------------------


def test_vnic_port_and_network_info_round_trip(api, network):
    vnic = api.post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"]
    assert vnic["mac_address"].startswith("fa:16:3e:") and vnic["address"] is None
    port = api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}})
    assert port.status == 201
    assert port.json()["port"]["address"] == "10.0.0.2"
    again = api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}})
    assert again.json()["port"]["address"] == "10.0.0.2"  # idempotent
    info = api.get(f"/v1.0/flat/vnics/{vnic['id']}/network_info").json()["network_info"]
    assert set(info) == NETWORK_INFO_KEYS
    assert (info["ip_address"], info["gateway"], info["dns"]) == (
        "10.0.0.2",
        "10.0.0.1",
        ["8.8.4.4"],
    )
    xml = api.get(f"/v1.0/flat/vnics/{vnic['id']}/network_info.xml").xml()
    assert xml.find("{*}ip_address").text == "10.0.0.2"
    assert (
        api.get(f"/v1.0/flat/ports/{vnic['id']}.xml").xml().find("{*}address").text == "10.0.0.2"
    )
    assert api.delete(f"/v1.0/flat/ports/{vnic['id']}").status == 204
    assert api.get(f"/v1.0/flat/ports/{vnic['id']}").status == 404
    assert api.delete(f"/v1.0/flat/vnics/{vnic['id']}").status == 204
    assert api.get(f"/v1.0/flat/vnics/{vnic['id']}").status == 404


def test_port_with_a_specific_address(api, network):
    vnic = api.post("/v1.0/flat/vnics", {"vnic": {"network_id": network["id"]}}).json()["vnic"]
    body = {"port": {"vnic_id": vnic["id"], "address": "10.0.0.77"}}
    assert api.post("/v1.0/flat/ports", body).json()["port"]["address"] == "10.0.0.77"
    other = api.post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"]
    taken = api.post(
        "/v1.0/flat/ports", {"port": {"vnic_id": other["id"], "address": "10.0.0.77"}}
    )
    assert (
        taken.status == 409 and "already in use" in taken.json()["conflictingRequest"]["message"]
    )
    outside = api.post(
        "/v1.0/flat/ports", {"port": {"vnic_id": other["id"], "address": "10.9.0.1"}}
    )
    assert outside.status == 400


def test_full_network_answers_no_more_fixed_ips(admin_api, api):
    _create(admin_api, cidr="10.0.0.0/30", network_size=4)
    vnics = [api.post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"] for _ in range(2)]
    assert api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnics[0]["id"]}}).status == 201
    full = api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnics[1]["id"]}})
    assert full.status == 409 and "No fixed IP" in full.body.decode()


def test_fixed_ip_show_reserve_unreserve_and_list(admin_api, network):
    url = "/v1.0/flat/fixed_ips/10.0.0.9"
    assert admin_api.get(url).json()["fixed_ip"]["reserved"] is False
    assert admin_api.post(f"{url}/action", {"reserve": None}).status == 204
    assert admin_api.get(url).json()["fixed_ip"]["reserved"] is True
    xml = b"<unreserve/>"
    assert admin_api.post(f"{url}/action", xml, content_type="application/xml").status == 204
    assert admin_api.get(f"{url}.xml").xml().find("{*}reserved").text == "false"
    listed = admin_api.get("/v1.0/flat/fixed_ips").json()["fixed_ips"]
    assert [f["address"] for f in listed] == ["10.0.0.0", "10.0.0.1", "10.0.0.9", "10.0.0.255"]


def test_fixed_ip_reserve_needs_admin(api, network):
    assert api.post("/v1.0/flat/fixed_ips/10.0.0.9/action", {"reserve": None}).status == 403


# --- bad input: one test each, each leaving nothing written ---------------------------


def test_bad_overlapping_cidr(admin_api, network):
    reply = _create(admin_api, cidr="10.0.0.0/23", num_networks=2, network_size=256,
                    label="more")  # fmt: skip
    # 10.0.0.0/24 is used, so the plan moves on and finds no room for the second.
    assert reply.status == 409
    assert "conflicts with existing cidr 10.0.0.0/24" in reply.body.decode()
    assert _count(admin_api) == 1
    inside = _create(admin_api, cidr="10.0.0.128/25")
    assert inside.status == 409 and "10.0.0.0/24" in inside.body.decode()


def test_bad_cidr_too_small(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", num_networks=2, network_size=256)
    assert reply.status == 400
    assert "The network range is not big enough" in reply.body.decode()
    assert _count(admin_api) == 0


@pytest.mark.parametrize("size", [0, "0", "abc"])
def test_bad_network_size(admin_api, size):
    # A string is refused by the schema (no string-to-int coercion), 0 by the planner.
    reply = _create(admin_api, cidr="10.0.0.0/24", network_size=size)
    assert reply.status == 400 and "network_size'" in reply.body.decode()
    assert _count(admin_api) == 0


def test_bad_label_too_long(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", label="x" * 256)
    assert reply.status == 400 and "'label'" in reply.body.decode()
    assert _count(admin_api) == 0


def test_bad_gateway_outside_cidr(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", gateway="10.0.1.1")
    assert reply.status == 400 and "'gateway'" in reply.body.decode()
    assert _count(admin_api) == 0


def test_bad_allowed_start_after_end(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", allowed_start="10.0.0.90",
                    allowed_end="10.0.0.10")  # fmt: skip
    assert reply.status == 400 and "'allowed_start'" in reply.body.decode()
    assert _count(admin_api) == 0


def test_bad_fixed_cidr_outside_cidr(admin_api):
    reply = _create(admin_api, cidr="10.0.0.0/24", fixed_cidr="10.0.5.0/28")
    assert reply.status == 400 and "'fixed_cidr'" in reply.body.decode()
    assert _count(admin_api) == 0


def test_bad_delete_with_allocated_ips(admin_api, api, network):
    vnic = api.post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"]
    api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}})
    reply = admin_api.delete(f"{NETS}/{network['id']}")
    assert reply.status == 409 and "allocated" in reply.body.decode()
    assert admin_api.get(f"{NETS}/{network['id']}").status == 200
    assert admin_api.get("/v1.0/flat/fixed_ips/10.0.0.2").json()["fixed_ip"]["allocated"]


def test_bad_reserve_outside_every_network(admin_api, network):
    reply = admin_api.post("/v1.0/flat/fixed_ips/192.168.9.9/action", {"reserve": None})
    assert reply.status == 404 and "not in any network" in reply.body.decode()
    assert len(admin_api.get("/v1.0/flat/fixed_ips").json()["fixed_ips"]) == 3


def test_bad_bind_unknown_vnic(api, network):
    reply = api.post("/v1.0/flat/ports", {"port": {"vnic_id": "no-such-vnic"}})
    assert reply.status == 404 and "no-such-vnic" in reply.body.decode()


def test_bad_bind_another_projects_vnic(api, network):
    theirs = api.as_project("p2").post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"]
    reply = api.post("/v1.0/flat/ports", {"port": {"vnic_id": theirs["id"]}})
    assert reply.status == 404
    assert api.get(f"/v1.0/flat/vnics/{theirs['id']}").status == 404
    assert (
        api.as_project("p2").get(f"/v1.0/flat/vnics/{theirs['id']}").json()["vnic"]["address"]
        is None
    )
