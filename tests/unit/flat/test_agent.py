"""The net agent: bind, setup (bridge check), teardown, injection and XML."""

from __future__ import annotations

import pytest
from netservice_flat.agent import FlatNetAgent

from netservice.compute.libvirt import port_name
from netservice.core import exceptions
from netservice.core.network_info import NETWORK_INFO_KEYS
from tests.unit.flat.conftest import P1, P2


@pytest.fixture
def bridges():
    return {"brflat"}


@pytest.fixture
def agent(flat, bridges):
    return FlatNetAgent(flat.vnics, lambda name: name in bridges, host="compute-1")


@pytest.fixture
def vnic(flat, network):
    return flat.get_os_service().get_default_vnic_id(P1)


def test_bind_is_idempotent(agent, flat, vnic):
    agent.bind_vnics_to_ports(P1, [vnic])
    agent.bind_vnics_to_ports(P1, [vnic])
    assert flat.vnics.address_of(vnic) == "10.0.0.2"
    assert flat.vnics.count("p1") == {"networks": 0, "vnics": 1, "fixed_ips": 1}


def test_bind_unknown_or_foreign_vnic_is_404(agent, vnic):
    with pytest.raises(exceptions.VnicNotFound):
        agent.bind_vnics_to_ports(P1, ["missing"])
    with pytest.raises(exceptions.VnicNotFound):
        agent.bind_vnics_to_ports(P2, [vnic])


def test_setup_checks_the_bridge_and_creates_nothing(agent, bridges, vnic):
    agent.setup_compute_network(P1, [vnic])
    bridges.clear()
    with pytest.raises(exceptions.ServiceUnavailable, match=r"bridge brflat .* host compute-1"):
        agent.setup_compute_network(P1, [vnic])


def test_dry_run_does_not_check(flat, vnic):
    FlatNetAgent(flat.vnics, lambda name: None, host="h").setup_compute_network(P1, [vnic])


def test_teardown_frees_at_once_and_is_idempotent(agent, flat, vnic):
    agent.bind_vnics_to_ports(P1, [vnic])
    agent.teardown_compute_network(P1, [vnic, "already-gone"])
    agent.teardown_compute_network(P1, [vnic])
    assert flat.vnics.address_of(vnic) is None
    other = flat.get_os_service().get_default_vnic_id(P1)
    agent.bind_vnics_to_ports(P1, [other])
    assert flat.vnics.address_of(other) == "10.0.0.2"  # reused at once


def test_network_info_has_exactly_the_contract_keys(agent, vnic):
    info = agent.get_network_info(P1, vnic)
    assert set(info) == NETWORK_INFO_KEYS and info["ip_address"] is None
    agent.bind_vnics_to_ports(P1, [vnic])
    info = agent.get_network_info(P1, vnic)
    assert (info["ip_address"], info["netmask"], info["dhcp_server"], info["address_v6"]) == (
        "10.0.0.2",
        "255.255.255.0",
        None,
        None,
    )


def test_interface_xml_names_its_port_and_no_filter(agent, flat, vnic):
    # Issue 14: libvirt refuses a domain whose <filterref> names a missing
    # nwfilter, so the XML names none and the port is filtered by nftables.
    mac = flat.vnics.get(P1, vnic).mac
    assert agent.get_interface_xml(P1, vnic) == (
        f"<interface type='bridge'><mac address='{mac}'/><source bridge='brflat'/>"
        f"<target dev='{port_name(vnic)}'/><model type='virtio'/></interface>"
    )


class RecordingFirewall:
    def __init__(self):
        self.ports = {}

    def ensure_vnic(self, port, mac, ips):
        self.ports[port] = (mac, list(ips))

    def remove_vnic(self, port):
        self.ports.pop(port, None)


def test_setup_filters_the_port_and_teardown_removes_it(flat, bridges, vnic):
    firewall = RecordingFirewall()
    agent = FlatNetAgent(flat.vnics, lambda n: n in bridges, "compute-1", lambda: firewall)
    with pytest.raises(exceptions.Conflict, match="no fixed IP"):
        agent.setup_compute_network(P1, [vnic])
    agent.bind_vnics_to_ports(P1, [vnic])
    agent.setup_compute_network(P1, [vnic])
    agent.setup_compute_network(P1, [vnic])
    mac = flat.vnics.get(P1, vnic).mac
    assert firewall.ports == {port_name(vnic): (mac, ["10.0.0.2"])}
    agent.teardown_compute_network(P1, [vnic])
    agent.teardown_compute_network(P1, [vnic])
    assert firewall.ports == {}


def test_no_injection_by_default(agent, vnic):
    assert agent.requires_file_injection(P1, vnic) is False
    assert agent.get_injected_network_config(P1, [vnic]) is None


@pytest.mark.parametrize("flat_extra", [{"flat": {"flat_injected": "true"}}])
def test_injection_for_several_nics_with_ipv6(agent, flat, admin_api):
    admin_api.post("/v1.0/flat/networks", {"network": {"label": "a", "cidr": "10.0.0.0/24",
                   "cidr_v6": "fd00:1::/64", "dns2": "8.8.8.8"}})  # fmt: skip
    second = admin_api.post("/v1.0/flat/networks", {"network": {"label": "b",
                            "cidr": "10.1.0.0/24"}}).json()["networks"][0]  # fmt: skip
    first = flat.vnics.create(P1).id
    other = flat.vnics.create(P1, network=second["id"]).id
    agent.bind_vnics_to_ports(P1, [first, other])
    assert agent.requires_file_injection(P1, first) is True
    text = agent.get_injected_network_config(P1, [first, other])
    mac = flat.vnics.get(P1, first).mac
    assert "auto lo\niface lo inet loopback\n" in text
    assert (
        "auto eth0\niface eth0 inet static\n"
        f"    hwaddress ether {mac}\n"
        "    address 10.0.0.2\n    netmask 255.255.255.0\n    broadcast 10.0.0.255\n"
        "    gateway 10.0.0.1\n    dns-nameservers 8.8.4.4 8.8.8.8\n"
        "iface eth0 inet6 static\n"
    ) in text
    assert "    netmask 64\n    gateway fd00:1::1\n" in text
    assert "auto eth1\niface eth1 inet static\n" in text and "address 10.1.0.2" in text
    assert text.count("inet6") == 1
