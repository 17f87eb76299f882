"""The projects' VPNs: where each is reached, and ``vpn change``."""

from __future__ import annotations

import pytest
from netservice_vlan.exceptions import ProjectHasNoNetwork, VpnPortInUse

from netservice.core import exceptions
from tests.unit.vlan.conftest import drain, make_networks, snapshot


def test_a_projects_vpn_is_its_first_networks(vlan):
    nets = make_networks(vlan, 2)
    vlan.networks.add_network_to_project("p1")
    vlan.networks.add_network_to_project("p1")
    vpn = vlan.vpns.get("p1")
    assert (vpn.network_id, vpn.public_address, vpn.public_port, vpn.private_address) == (
        nets[0].uuid, None, 1000, "10.0.0.2",
    )  # fmt: skip
    with pytest.raises(ProjectHasNoNetwork, match="p2"):
        vlan.vpns.get("p2")


@pytest.mark.parametrize(
    "vlan_extra", [{"vlan": {"vlan_interface": "eth1", "vpn_ip": "192.0.2.9"}}]
)
def test_vpn_ip_is_the_address_of_networks_without_their_own(vlan):
    make_networks(vlan, 1)
    vlan.networks.network_for_project("p1")
    assert vlan.vpns.get("p1").public_address == "192.0.2.9"
    vlan.vpns.change("p1", "198.51.100.1", 1194)
    assert vlan.vpns.get("p1").public_address == "198.51.100.1"


def test_vpn_change_moves_the_vpn_and_notifies(vlan, changes):
    nets = make_networks(vlan, 2)
    vlan.networks.network_for_project("p1")
    drain(changes)
    vpn = vlan.vpns.change("p1", "192.0.2.1", "1500")
    assert (vpn.public_address, vpn.public_port) == ("192.0.2.1", 1500)
    assert drain(changes) == [str(nets[0].id)]
    assert vlan.vpns.change("p1", "192.0.2.1", 1500) == vpn  # idempotent
    assert [v.project_id for v in vlan.vpns.list()] == ["p1"]


def test_bad_vpn_port_already_used_by_another_project(vlan):
    make_networks(vlan, 3)
    vlan.networks.network_for_project("p1")
    vlan.networks.network_for_project("p2")
    vlan.vpns.change("p1", "192.0.2.1", 2000)
    state = snapshot(vlan)
    with pytest.raises(VpnPortInUse, match=r"192\.0\.2\.1:2000 is already used by .*project p1"):
        vlan.vpns.change("p2", "192.0.2.1", 2000)
    assert snapshot(vlan) == state
    # Another address, or another port, is free.
    assert vlan.vpns.change("p2", "192.0.2.2", 2000).public_port == 2000
    assert vlan.vpns.change("p2", "192.0.2.1", 2001).public_port == 2001


@pytest.mark.parametrize(
    "vlan_extra", [{"vlan": {"vlan_interface": "eth1", "vpn_ip": "192.0.2.9"}}]
)
def test_bad_vpn_port_of_an_unassigned_network_on_vpn_ip(vlan):
    make_networks(vlan, 2)  # ports 1000 and 1001 on vpn_ip
    vlan.networks.network_for_project("p1")
    state = snapshot(vlan)
    with pytest.raises(VpnPortInUse, match="no project"):
        vlan.vpns.change("p1", "192.0.2.9", 1001)
    assert snapshot(vlan) == state


@pytest.mark.parametrize(
    ("project", "ip", "port", "field"),
    [
        ("p1", "not-an-ip", 1000, "ip"),
        ("p1", "2001:db8::1", 1000, "ip"),
        ("p1", "192.0.2.1", 0, "port"),
        ("p1", "192.0.2.1", 70000, "port"),
        ("bad project", "192.0.2.1", 1000, "project"),
    ],
)
def test_bad_vpn_change_values(vlan, project, ip, port, field):
    make_networks(vlan, 1)
    vlan.networks.network_for_project("p1")
    state = snapshot(vlan)
    with pytest.raises(exceptions.InvalidInput, match=f"'{field}'"):
        vlan.vpns.change(project, ip, port)
    assert snapshot(vlan) == state


def test_vpn_change_of_a_project_without_a_network(vlan):
    make_networks(vlan, 1)
    with pytest.raises(ProjectHasNoNetwork):
        vlan.vpns.change("p9", "192.0.2.1", 1000)
    assert vlan.networks.list()[0].project_id is None  # no network was claimed
