"""What the compute-facing APIs call on the VLAN service."""

from __future__ import annotations

import pytest
from netservice_vlan.exceptions import NoMoreNetworks, ProjectHasNoNetwork

from tests.unit.vlan.conftest import P1, P2, make_networks


def test_default_vnic_claims_the_projects_network(vlan):
    nets = make_networks(vlan, 1)
    os_service = vlan.get_os_service()
    vnic = os_service.get_default_vnic_id(P1)
    assert vlan.vnics.get(P1, vnic).network_id == nets[0].id
    with pytest.raises(NoMoreNetworks):
        os_service.get_default_vnic_id(P2)


@pytest.mark.parametrize(
    "vlan_extra", [{"vlan": {"vlan_interface": "eth1", "vpn_ip": "192.0.2.9"}}]
)
def test_project_vpn_address_and_port(vlan):
    make_networks(vlan, 2)
    os_service = vlan.get_os_service()
    with pytest.raises(ProjectHasNoNetwork):
        os_service.get_project_vpn_address_and_port(P1, "p1")
    vlan.networks.network_for_project("p1")
    assert os_service.get_project_vpn_address_and_port(P1, "p1") == ("192.0.2.9", 1000)
    vlan.vpns.change("p1", "198.51.100.7", 1194)
    assert os_service.get_project_vpn_address_and_port(P1, "p1") == ("198.51.100.7", 1194)


def test_project_resources(vlan, pool):
    make_networks(vlan, 1)
    card = vlan.vnics.create(P1)
    vlan.vnics.bind(P1, card.id)
    vlan.floating.allocate(P1)
    assert dict(vlan.get_os_service().get_project_resources(P1, "p1")) == {
        "networks": 1, "vnics": 1, "fixed_ips": 1, "floating_ips": 1,
    }  # fmt: skip
