"""VLAN's net agent with recording drivers: should_create_vlan, and a kernel
without 802.1q refused with the clear error."""

from __future__ import annotations

import pytest
from netservice_vlan.agent import should_create_vlan, vlan_net_agent

from netservice.core import exceptions
from netservice.ipam.planner import NetworkRequest
from tests.unit.vlan import fakes
from tests.unit.vlan.conftest import P1, make_networks


def _boot(vlan, agent):
    vnic = vlan.get_os_service().get_default_vnic_id(P1)
    agent.bind_vnics_to_ports(P1, [vnic])
    agent.setup_compute_network(P1, [vnic])
    return vnic


def test_the_compute_host_makes_the_vlan_bridge_without_an_address(vlan):
    make_networks(vlan, 1)
    plane = fakes.dataplane()
    agent = vlan_net_agent(vlan, dataplane=lambda: plane)
    vnic = _boot(vlan, agent)
    assert plane.links.get("vlan200").master == plane.links.get("br200").index
    assert plane.links.backend.addresses("br200") == []
    card = vlan.vnics.get(P1, vnic)
    assert ("vnic", f"tap{vnic.replace('-', '')[:11]}", card.mac, ("10.0.0.3",)) in (
        plane.firewall.ops
    )
    assert "<source bridge='br200'/>" in agent.get_interface_xml(P1, vnic)
    assert agent.get_network_info(P1, vnic)["gateway"] == "10.0.0.1"


def test_a_multi_host_network_is_left_to_the_hosts_net_service(vlan):
    vlan.networks.create(NetworkRequest(label="m", cidr="10.0.0.0/24", multi_host="T"))
    assert should_create_vlan(vlan.networks.list()[0]) is False
    plane = fakes.dataplane()
    _boot(vlan, vlan_net_agent(vlan, dataplane=lambda: plane))
    assert plane.links.get("br200") is None


def test_a_kernel_without_8021q_answers_service_unavailable(vlan):
    make_networks(vlan, 1)
    plane = fakes.dataplane(kinds=frozenset({"bridge", "veth", "vxlan"}))
    agent = vlan_net_agent(vlan, dataplane=lambda: plane)
    with pytest.raises(exceptions.ServiceUnavailable, match=r"no 802\.1q support in this kernel"):
        _boot(vlan, agent)
    assert plane.links.get("br200") is None
