"""The DHCP topologies' compute-side agent, with a fake VNIC service and drivers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.dhcp.agent import DhcpNetAgent, port_name
from netservice.linux.standin import parse_interfaces
from tests.unit.dhcp import fakes

CTX = RequestContext(project_id="p1")
VNIC = "0123abcd-4567-89ef-0123-456789abcdef"


class FakeVnics:
    def __init__(self):
        self.card = SimpleNamespace(id=VNIC, mac="fa:16:3e:00:00:01", network_id=1)
        self.network = SimpleNamespace(
            id=1, bridge="br100", bridge_interface=None, injected=False, vlan=None
        )
        self.bound: dict[str, str] = {}
        self.unbound: list[str] = []

    def get(self, context, vnic_id):
        if vnic_id != VNIC:
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        return self.card

    def network_of(self, card):
        return self.network

    def bind(self, context, vnic_id):
        self.bound.setdefault(vnic_id, "10.0.0.5")

    def unbind(self, context, vnic_id):
        self.unbound.append(vnic_id)
        return self.bound.pop(vnic_id, None)

    def address_of(self, vnic_id):
        return self.bound.get(vnic_id)

    def network_info(self, card, network, address):
        return {"mac_address": card.mac, "ip_address": address}


@pytest.fixture
def plane():
    return fakes.dataplane()


@pytest.fixture
def agent(plane):
    return DhcpNetAgent(FakeVnics(), lambda: plane)


def test_port_names_fit_in_ifnamsiz():
    assert port_name(VNIC) == "tap0123abcd456" and len(port_name(VNIC)) <= 15


def test_setup_makes_the_bridge_and_filters_the_port(agent, plane):
    agent.bind_vnics_to_ports(CTX, [VNIC])
    agent.setup_compute_network(CTX, [VNIC])
    agent.setup_compute_network(CTX, [VNIC])
    assert plane.links.get("br100") is not None
    assert plane.links.backend.addresses("br100") == []  # compute hosts only switch
    assert (
        plane.firewall.ops.count(("vnic", port_name(VNIC), "fa:16:3e:00:00:01", ("10.0.0.5",)))
        == 2
    )


def test_setup_before_bind_is_refused(agent):
    with pytest.raises(exceptions.Conflict, match="bind_vnics_to_ports first"):
        agent.setup_compute_network(CTX, [VNIC])


def test_teardown_removes_rules_unbinds_and_is_idempotent(agent, plane):
    agent.bind_vnics_to_ports(CTX, [VNIC])
    agent.teardown_compute_network(CTX, [VNIC, "gone"])
    agent.teardown_compute_network(CTX, [VNIC])
    assert ("unvnic", port_name(VNIC)) in plane.firewall.ops
    assert agent.vnics.unbound == [VNIC, VNIC]
    assert agent.get_network_info(CTX, VNIC)["ip_address"] is None


def test_interface_xml_names_the_filtered_port(agent):
    [vnic] = parse_interfaces(agent.get_interface_xml(CTX, VNIC))
    assert (vnic.mac, vnic.bridge, vnic.host_ifname) == (
        "fa:16:3e:00:00:01",
        "br100",
        port_name(VNIC),
    )
    assert agent.requires_file_injection(CTX, VNIC) is False
