"""The REST API under /v1.0/flat_dhcp/, JSON and XML: flat's shape, DHCP leases,
floating IPs and pools, and the bad-input faults, each leaving nothing written."""

from __future__ import annotations

import pytest

from netservice.core.network_info import NETWORK_INFO_KEYS
from tests.unit.flat_dhcp.conftest import P1, drain

BASE = "/v1.0/flat_dhcp"
NETS = f"{BASE}/networks"
FIPS = f"{BASE}/floating_ips"


def _bound_vnic(api, **vnic):
    card = api.post(f"{BASE}/vnics", {"vnic": vnic}).json()["vnic"]
    port = api.post(f"{BASE}/ports", {"port": {"vnic_id": card["id"]}})
    assert port.status == 201, port.body
    return card, port.json()["port"]


# --- flat's shape ---------------------------------------------------------------------


def test_network_create_shows_dhcp_server(admin_api, api, network):
    assert (network["bridge"], network["dhcp_server"], network["dns1"]) == (
        "br100",
        "10.0.0.1",
        "8.8.4.4",
    )
    assert api.get(NETS).json()["networks"] == [
        {"id": network["id"], "label": "net", "cidr": "10.0.0.0/24", "cidr_v6": None,
         "project_id": None,
         "links": [
             {"rel": "self", "href": f"http://localhost{NETS}/{network['id']}"},
             {"rel": "bookmark",
              "href": f"http://localhost{NETS.removeprefix('/v1.0')}/{network['id']}"},
         ]}
    ]  # fmt: skip
    xml = api.get(f"{NETS}/{network['id']}.xml").xml()
    assert xml.find("{*}dhcp_server").text == "10.0.0.1"


def test_create_needs_admin_and_another_projects_network_is_hidden(admin_api, api):
    body = {"network": {"label": "x", "cidr": "10.0.0.0/24", "project_id": "p2"}}
    assert api.post(NETS, body).status == 403
    net = admin_api.post(NETS, body).json()["networks"][0]
    assert api.get(f"{NETS}/{net['id']}").status == 404
    assert api.get(NETS).json()["networks"] == []


def test_port_network_info_names_the_dhcp_server(api, network):
    card, port = _bound_vnic(api)
    assert port["address"] == "10.0.0.2"
    info = api.get(f"{BASE}/vnics/{card['id']}/network_info").json()["network_info"]
    assert set(info) == NETWORK_INFO_KEYS
    assert (info["ip_address"], info["dhcp_server"], info["gateway"]) == (
        "10.0.0.2",
        "10.0.0.1",
        "10.0.0.1",
    )


def test_unbinding_a_leased_port_holds_the_address(dhcp, admin_api, api, network):
    card, _ = _bound_vnic(api)
    net_id = dhcp.networks.get(network["id"]).id
    with dhcp.context.database.write_connection() as conn:
        dhcp.allocator.lease(conn, net_id, "10.0.0.2")
    assert api.delete(f"{BASE}/ports/{card['id']}").status == 204
    held = admin_api.get(f"{BASE}/fixed_ips/10.0.0.2").json()["fixed_ip"]
    assert (held["allocated"], held["leased"], held["vnic_id"]) == (False, True, card["id"])
    _, other = _bound_vnic(api)
    assert other["address"] == "10.0.0.3"  # the held address is not handed out


def test_changes_notify_the_net_service(dhcp, changes, admin_api, api, network):
    net_id = str(dhcp.networks.get(network["id"]).id)
    assert drain(changes) == [net_id]  # created
    card, _ = _bound_vnic(api)
    assert drain(changes) == [net_id]
    api.delete(f"{BASE}/ports/{card['id']}")
    assert drain(changes) == [net_id]
    admin_api.put(f"{NETS}/{network['id']}", {"network": {"host": "net-1"}})
    assert drain(changes) == [net_id]
    api.post(f"{BASE}/vnics", {"vnic": {}})  # a VNIC alone changes nothing on the host
    assert drain(changes) == []


# --- leases -----------------------------------------------------------------------------


def test_leases_json_and_xml(dhcp, admin_api, api, network):
    card, _ = _bound_vnic(api, instance_id="i-1")
    net_id = dhcp.networks.get(network["id"]).id
    with dhcp.context.database.write_connection() as conn:
        dhcp.allocator.lease(conn, net_id, "10.0.0.2")
    (lease,) = admin_api.get(f"{NETS}/{network['id']}/leases").json()["leases"]
    assert (lease["address"], lease["mac_address"], lease["instance_id"]) == (
        "10.0.0.2",
        card["mac_address"],
        "i-1",
    )
    assert lease["allocated"] is True and lease["leased"] is True
    xml = admin_api.get(f"{NETS}/{network['id']}/leases.xml").xml()
    assert xml.find("{*}lease/{*}address").text == "10.0.0.2"
    assert admin_api.get(f"{NETS}/{network['id']}/leases?host=elsewhere").json() == {"leases": []}


def test_leases_of_a_shared_network_are_for_admins(api, network):
    assert api.get(f"{NETS}/{network['id']}/leases").status == 404


def test_leases_of_the_projects_own_network(admin_api, api):
    body = {"network": {"label": "own", "cidr": "10.1.0.0/24", "project_id": "p1"}}
    net = admin_api.post(NETS, body).json()["networks"][0]
    assert api.get(f"{NETS}/{net['id']}/leases").json() == {"leases": []}
    assert api.as_project("p2").get(f"{NETS}/{net['id']}/leases").status == 404
    assert admin_api.get(f"{NETS}/no-such-network/leases").status == 404


# --- floating IPs -----------------------------------------------------------------------


def test_pools(api, pool):
    assert api.get(f"{BASE}/floating_ip_pools").json() == {"floating_ip_pools": [{"name": "nova"}]}
    xml = api.get(f"{BASE}/floating_ip_pools.xml").xml()
    assert xml.find("{*}floating_ip_pool/{*}name").text == "nova"


def test_floating_ip_life_cycle(dhcp, changes, api, network, pool):
    _, port = _bound_vnic(api)
    reply = api.post(FIPS, {"floating_ip": {"pool": "nova"}})
    assert reply.status == 201, reply.body
    fip = reply.json()["floating_ip"]
    assert (fip["ip"], fip["pool"], fip["project_id"], fip["fixed_ip"]) == (
        "203.0.113.1",
        "nova",
        "p1",
        None,
    )
    assert [f["ip"] for f in api.get(FIPS).json()["floating_ips"]] == ["203.0.113.1"]
    drain(changes)
    action = f"{FIPS}/203.0.113.1/action"
    done = api.post(action, {"associate": {"fixed_address": port["address"]}})
    assert done.status == 200 and done.json()["floating_ip"]["fixed_ip"] == "10.0.0.2"
    net_id = str(dhcp.networks.get(network["id"]).id)
    assert drain(changes) == [net_id]
    shown = api.get(f"{FIPS}/{fip['id']}.xml").xml()
    assert shown.find("{*}fixed_ip").text == "10.0.0.2"
    assert api.post(action, {"disassociate": None}).json()["floating_ip"]["fixed_ip"] is None
    assert drain(changes) == [net_id]
    assert api.delete(f"{FIPS}/203.0.113.1").status == 204
    assert api.get(FIPS).json()["floating_ips"] == []


def test_floating_ip_actions_in_xml(api, network, pool):
    _, port = _bound_vnic(api)
    xml = b"<floating_ip><pool>nova</pool></floating_ip>"
    fip = api.post(FIPS, xml, content_type="application/xml").json()["floating_ip"]
    body = f"<associate><fixed_address>{port['address']}</fixed_address></associate>".encode()
    reply = api.post(f"{FIPS}/{fip['ip']}/action", body, content_type="application/xml")
    assert reply.status == 200 and reply.json()["floating_ip"]["fixed_ip"] == port["address"]
    reply = api.post(f"{FIPS}/{fip['ip']}/action", b"<disassociate/>",
                     content_type="application/xml")  # fmt: skip
    assert reply.json()["floating_ip"]["fixed_ip"] is None


def test_admin_lists_every_allocated_floating_ip(admin_api, api, pool):
    api.post(FIPS, {"floating_ip": {}})
    api.as_project("p2").post(FIPS, {"floating_ip": {}})
    listed = admin_api.get(f"{FIPS}?limit=1").json()
    assert [f["ip"] for f in listed["floating_ips"]] == ["203.0.113.1"]
    assert "marker=203.0.113.1" in listed["floating_ips_links"][0]["href"]
    assert [f["project_id"] for f in api.get(FIPS).json()["floating_ips"]] == ["p1"]


def test_bulk_create_list_and_delete_are_for_admins(admin_api, api):
    body = {"floating_ips_bulk_create": {"ip_range": "198.51.100.0/30", "pool": "ext"}}
    assert api.post(f"{BASE}/floating_ips_bulk", body).status == 403
    reply = admin_api.post(f"{BASE}/floating_ips_bulk", body)
    assert reply.status == 201 and reply.json()["floating_ips_bulk_create"]["created"] == 2
    listed = admin_api.get(f"{BASE}/floating_ips_bulk").json()["floating_ips"]
    assert [(f["ip"], f["pool"]) for f in listed] == [("198.51.100.1", "ext"),
                                                      ("198.51.100.2", "ext")]  # fmt: skip
    assert (
        api.put(f"{BASE}/floating_ips_bulk/delete", {"ip_range": "198.51.100.0/30"}).status == 403
    )
    reply = admin_api.put(f"{BASE}/floating_ips_bulk/delete", {"ip_range": "198.51.100.0/30"})
    assert reply.json()["floating_ips_bulk_delete"]["deleted"] == 2
    assert admin_api.get(f"{BASE}/floating_ips_bulk").json()["floating_ips"] == []


# --- bad input: one test each, each leaving nothing written -------------------------------------


def test_bad_associate_someone_elses_floating_ip(api, network, pool):
    _, port = _bound_vnic(api)
    theirs = api.as_project("p2").post(FIPS, {"floating_ip": {}}).json()["floating_ip"]
    reply = api.post(
        f"{FIPS}/{theirs['ip']}/action", {"associate": {"fixed_address": port["address"]}}
    )
    assert reply.status == 404
    assert (
        api.as_project("p2").get(f"{FIPS}/{theirs['ip']}").json()["floating_ip"]["fixed_ip"]
        is None
    )


def test_bad_associate_with_someone_elses_fixed_ip(api, network, pool):
    _, theirs = _bound_vnic(api.as_project("p2"))
    fip = api.post(FIPS, {"floating_ip": {}}).json()["floating_ip"]
    reply = api.post(
        f"{FIPS}/{fip['ip']}/action", {"associate": {"fixed_address": theirs["address"]}}
    )
    assert reply.status == 404 and theirs["address"] in reply.body.decode()
    assert api.get(f"{FIPS}/{fip['ip']}").json()["floating_ip"]["fixed_ip"] is None


def test_bad_associate_an_auto_assigned_floating_ip(dhcp, api, network, pool):
    _, port = _bound_vnic(api)
    _, other = _bound_vnic(api)
    auto = dhcp.floating.auto_assign_floating_ip(P1, port["address"], "nova")
    reply = api.post(f"{FIPS}/{auto.floating_address}/action",
                     {"associate": {"fixed_address": other["address"]}})  # fmt: skip
    assert reply.status == 403 and "automatically" in reply.body.decode()
    shown = api.get(f"{FIPS}/{auto.floating_address}").json()["floating_ip"]
    assert shown["fixed_ip"] == port["address"]


def test_bad_release_an_associated_floating_ip(api, network, pool):
    _, port = _bound_vnic(api)
    fip = api.post(FIPS, {"floating_ip": {}}).json()["floating_ip"]
    api.post(f"{FIPS}/{fip['ip']}/action", {"associate": {"fixed_address": port["address"]}})
    reply = api.delete(f"{FIPS}/{fip['ip']}")
    assert reply.status == 409 and "disassociate it first" in reply.body.decode()
    assert api.get(f"{FIPS}/{fip['ip']}").json()["floating_ip"]["fixed_ip"] == port["address"]


def test_bad_allocate_from_an_empty_pool(admin_api, api):
    one = {"floating_ips_bulk_create": {"ip_range": "198.51.100.7", "pool": "one"}}
    admin_api.post(f"{BASE}/floating_ips_bulk", one)
    assert api.post(FIPS, {"floating_ip": {"pool": "one"}}).status == 201
    reply = api.as_project("p2").post(FIPS, {"floating_ip": {"pool": "one"}})
    assert (
        reply.status == 409 and "No floating IP address is left in pool one" in reply.body.decode()
    )
    assert api.as_project("p2").get(FIPS).json()["floating_ips"] == []


def test_bad_allocate_from_an_unknown_pool(api, pool):
    reply = api.post(FIPS, {"floating_ip": {"pool": "nowhere"}})
    assert reply.status == 404 and "nowhere" in reply.body.decode()
    assert api.get(FIPS).json()["floating_ips"] == []


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"quota_floating_ips": 1}}])
def test_bad_allocate_over_quota(api, pool):
    assert api.post(FIPS, {"floating_ip": {}}).status == 201
    reply = api.post(FIPS, {"floating_ip": {}})
    assert reply.status == 413 and "may hold 1" in reply.body.decode()
    assert len(api.get(FIPS).json()["floating_ips"]) == 1


def test_bad_bulk_create_too_small_or_duplicate(admin_api, pool):
    url = f"{BASE}/floating_ips_bulk"
    small = admin_api.post(url, {"floating_ips_bulk_create": {"ip_range": "198.51.100.0/31"}})
    assert small.status == 400 and "at least 4" in small.body.decode()
    dup = admin_api.post(url, {"floating_ips_bulk_create": {"ip_range": "203.0.113.0/29"}})
    assert dup.status == 409 and "already exists" in dup.body.decode()
    assert len(admin_api.get(url).json()["floating_ips"]) == 14


def test_bad_floating_action_body(api, pool):
    fip = api.post(FIPS, {"floating_ip": {}}).json()["floating_ip"]
    both = api.post(f"{FIPS}/{fip['ip']}/action", {"associate": {"fixed_address": "10.0.0.2"},
                                                   "disassociate": None})  # fmt: skip
    assert both.status == 400
    missing = api.post(f"{FIPS}/{fip['ip']}/action", {"associate": {}})
    assert missing.status == 400 and "fixed_address" in missing.body.decode()


# --- a network's status, and repairing its bridge interface ----------------------------


def _report(dhcp, network, host, error=None):
    """What host's net-service would record for the network."""
    from netservice.core.network_status import ACTIVE, ERROR, NetworkStatuses

    row = dhcp.networks.get(network["id"])
    NetworkStatuses(dhcp.context.database, "flat_dhcp").set(
        str(row.id), host, ERROR if error else ACTIVE, error
    )


def test_admins_see_each_networks_status_and_others_do_not(dhcp, admin_api, api, network):
    url = f"{NETS}/{network['id']}"
    shown = admin_api.get(url).json()["network"]
    assert (shown["status"], shown["error"]) == ("BUILD", None)  # no host has reported
    admin_api.put(url, {"network": {"project_id": "p1", "host": "host-a"}})
    _report(dhcp, network, "host-a", "network interface eth1 not found")
    _report(dhcp, network, "host-b", None)  # not its host: not counted
    for body in (admin_api.get(url).json()["network"],
                 admin_api.get(f"{NETS}/detail").json()["networks"][0],
                 admin_api.get(NETS).json()["networks"][0]):  # fmt: skip
        assert body["status"] == "ERROR"
        assert body["error"] == "host-a: network interface eth1 not found"
    xml = admin_api.get(url + ".xml").xml()
    assert xml.findtext("{*}status") == "ERROR" and "eth1" in xml.findtext("{*}error")
    mine = api.get(url).json()["network"]
    assert "status" not in mine and "error" not in mine
    assert all("status" not in n for n in api.get(f"{NETS}/detail").json()["networks"])
    _report(dhcp, network, "host-a", None)
    assert admin_api.get(url).json()["network"]["status"] == "ACTIVE"


def test_put_bridge_interface_repairs_the_network_in_place(dhcp, changes, admin_api, api, network):
    url = f"{NETS}/{network['id']}"
    admin_api.put(url, {"network": {"host": "host-a"}})
    _report(dhcp, network, "host-a", "network interface eth1 not found")
    drain(changes)
    assert api.put(url, {"network": {"bridge_interface": "eth0"}}).status == 403
    reply = admin_api.put(url, {"network": {"bridge_interface": "eth0"}})
    assert reply.status == 200, reply.body
    shown = reply.json()["network"]
    assert shown["bridge_interface"] == "eth0" and shown["id"] == network["id"]
    # Until the net-service has tried eth0, the old error no longer stands.
    assert (shown["status"], shown["error"]) == ("BUILD", None)
    assert drain(changes) == [str(dhcp.networks.get(network["id"]).id)]
    # The same interface again changes nothing, so the next report stands.
    _report(dhcp, network, "host-a", None)
    admin_api.put(url, {"network": {"bridge_interface": "eth0"}})
    assert admin_api.get(url).json()["network"]["status"] == "ACTIVE"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bad/if", "bridge_interface"),
        ("a-name-far-too-long", "bridge_interface"),
        ("", "bridge_interface"),
        (7, "bridge_interface"),
    ],
)
def test_bad_bridge_interface_is_refused_and_changes_nothing(admin_api, network, value, expected):
    url = f"{NETS}/{network['id']}"
    reply = admin_api.put(url, {"network": {"bridge_interface": value}})
    assert reply.status == 400 and expected in reply.body.decode(), reply.body
    assert admin_api.get(url).json()["network"]["bridge_interface"] == network["bridge_interface"]
