"""nova's address layout on Flat, FlatDHCP and VLAN, on SQLite, PostgreSQL and MariaDB.

- ``allowed_start`` moves the layout: the gateway is ``allowed_start``, VLAN's
  VPN address the next address, ``dhcp_start`` the one after (Flat and
  FlatDHCP: the gateway, then ``dhcp_start``);
- ``fixed_cidr``'s first two and last address are never handed out;
- ``floating create`` without an interface stores ``[linux] public_interface``
  (``eth0`` unless configured).

Each is shown by ``network list`` and REST, and by what allocation hands out
until the network is exhausted.
"""

from __future__ import annotations

import pytest
from netservice_flat import manage as flat_manage
from netservice_flat_dhcp import manage as flat_dhcp_manage
from netservice_vlan import manage as vlan_manage

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

PLUGINS = ["flat", "flat_dhcp", "vlan"]
MANAGE = {"flat": flat_manage, "flat_dhcp": flat_dhcp_manage, "vlan": vlan_manage}


@pytest.fixture
def site(tmp_path, db_url, name):
    """All three plugins on one database, ``name`` p1's service: (REST client as p1, config)."""
    path = write_config(str(tmp_path / "cfg"), PLUGINS, default=name, connection=db_url,
                        extra={"vlan": {"vlan_interface": "eth1"}})  # fmt: skip
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    yield ApiClient(build_app(make_conf(path), manager), project_id="p1"), path
    manager.database.dispose()


def _manage(name, path, capsys, *argv):
    status = MANAGE[name].main(["--config-file", path, *argv])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def _create(api, name, **network):
    admin = api.as_project("ops", "admin")
    # VLAN gives an instance its project's networks: give this one to p1.
    body = {"network": {"label": "n", "project_id": "p1", **network}}
    reply = admin.post(f"/v1.0/{name}/networks", body)
    assert reply.status == 201, reply.body
    (net,) = reply.json()["networks"]
    return admin.get(f"/v1.0/{name}/networks/{net['id']}").json()["network"]


def _exhaust(api, name):
    """Bind a new VNIC after another until the network has no address left."""
    handed_out = []
    for index in range(300):
        vnic = api.post(f"/v1.0/{name}/vnics", {"vnic": {"instance_id": f"i-{index}"}})
        assert vnic.status == 201, vnic.body
        port = api.post(f"/v1.0/{name}/ports", {"port": {"vnic_id": vnic.json()["vnic"]["id"]}})
        if port.status == 409:
            assert "No fixed IP address is left" in port.body.decode(), port.body
            return handed_out
        assert port.status == 201, port.body
        handed_out.append(port.json()["port"]["address"])
    raise AssertionError("the network was never exhausted")


def _start_address(name, path, capsys):
    """``network list``'s "start address" column (dhcp_start) of the one network."""
    header, row = _manage(name, path, capsys, "network", "list").splitlines()
    assert header.split()[3:5] == ["start", "address"]
    return row.split()[3]


def _hosts(prefix, first, last):
    return [f"{prefix}.{i}" for i in range(first, last + 1)]


@pytest.mark.parametrize("name", PLUGINS)
def test_allowed_start_is_the_gateway_and_moves_the_layout(site, capsys, name):
    api, path = site
    net = _create(api, name, cidr="192.168.0.0/24", allowed_start="192.168.0.10",
                  allowed_end="192.168.0.14")  # fmt: skip
    dhcp_start = "192.168.0.12" if name == "vlan" else "192.168.0.11"
    assert (net["gateway"], net["dhcp_start"]) == ("192.168.0.10", dhcp_start)
    assert (net["allowed_start"], net["allowed_end"]) == ("192.168.0.10", "192.168.0.14")
    assert _start_address(name, path, capsys) == dhcp_start
    if name == "vlan":
        vpn = api.get("/v1.0/vlan/projects/p1/vpn").json()["vpn"]
        assert vpn["private_address"] == "192.168.0.11"
        # nova hands out only .12-.14: .10 is the gateway, .11 the VPN address.
        assert _exhaust(api, name) == _hosts("192.168.0", 12, 14)
    else:
        # The router on allowed_start is never given to an instance.
        assert _exhaust(api, name) == _hosts("192.168.0", 11, 14)


@pytest.mark.parametrize("name", PLUGINS)
def test_a_given_gateway_stays_and_allocation_starts_at_allowed_start(site, capsys, name):
    api, path = site
    net = _create(api, name, cidr="10.0.0.0/24", gateway="10.0.0.1",
                  allowed_start="10.0.0.200", allowed_end="10.0.0.203")  # fmt: skip
    dhcp_start = "10.0.0.201" if name == "vlan" else "10.0.0.200"
    assert (net["gateway"], net["dhcp_start"]) == ("10.0.0.1", dhcp_start)
    assert _start_address(name, path, capsys) == dhcp_start
    first = 201 if name == "vlan" else 200  # VLAN: .200 is the VPN address
    assert _exhaust(api, name) == _hosts("10.0.0", first, 203)


@pytest.mark.parametrize("name", PLUGINS)
def test_fixed_cidr_never_hands_out_its_first_two_and_last(site, capsys, name):
    api, path = site
    net = _create(api, name, cidr="10.1.0.0/24", fixed_cidr="10.1.0.64/29")
    assert net["fixed_cidr"] == "10.1.0.64/29"
    # The layout stays at the bottom of the network.
    dhcp_start = "10.1.0.3" if name == "vlan" else "10.1.0.2"
    assert (net["gateway"], net["dhcp_start"]) == ("10.1.0.1", dhcp_start)
    assert _start_address(name, path, capsys) == dhcp_start
    # .64 and .65 at the bottom, .71 at the top are never handed out.
    assert _exhaust(api, name) == _hosts("10.1.0", 66, 70)


@pytest.mark.parametrize("name", PLUGINS)
def test_a_range_with_nothing_to_hand_out_is_refused_and_writes_nothing(site, capsys, name):
    api, path = site
    admin = api.as_project("ops", "admin")
    body = {"network": {"label": "n", "cidr": "10.2.0.0/24", "allowed_start": "10.2.0.10",
                        "allowed_end": "10.2.0.10"}}  # fmt: skip
    reply = admin.post(f"/v1.0/{name}/networks", body)
    assert reply.status == 400 and "'allowed_start'" in reply.body.decode(), reply.body
    status = MANAGE[name].main(["--config-file", path, "network", "create", "--label", "n",
                                "--fixed_range_v4", "10.2.0.0/24", "--fixed_cidr",
                                "10.2.0.8/31"])  # fmt: skip
    assert status == 1 and "'fixed_cidr'" in capsys.readouterr().err
    assert admin.get(f"/v1.0/{name}/networks").json()["networks"] == []


@pytest.mark.parametrize("name", ["flat_dhcp", "vlan"])
def test_floating_create_stores_public_interface_eth0_by_default(site, capsys, name):
    api, path = site
    admin = api.as_project("ops", "admin")
    assert _manage(name, path, capsys, "floating", "create", "--ip_range", "203.0.113.0/30") == ""
    bulk = {"floating_ips_bulk_create": {"ip_range": "198.51.100.9"}}
    assert admin.post(f"/v1.0/{name}/floating_ips_bulk", bulk).status == 201
    given = {"floating_ips_bulk_create": {"ip_range": "198.51.100.10", "interface": "eth2"}}
    assert admin.post(f"/v1.0/{name}/floating_ips_bulk", given).status == 201
    header, *listed = _manage(name, path, capsys, "floating", "list").splitlines()
    assert header.split()[-1] == "interface"
    interfaces = {line.split("\t")[1]: line.split("\t")[4] for line in listed}
    assert interfaces == {
        "198.51.100.9": "eth0",
        "198.51.100.10": "eth2",
        "203.0.113.1": "eth0",
        "203.0.113.2": "eth0",
    }
    rest = admin.get(f"/v1.0/{name}/floating_ips_bulk").json()
    (key,) = rest
    assert {r["ip"]: r["interface"] for r in rest[key]} == interfaces
