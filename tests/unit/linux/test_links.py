"""Links' decisions, against the in-memory kernel (no root)."""

from __future__ import annotations

import io

import pytest

from netservice.core.exceptions import Conflict, InvalidInput
from netservice.linux import exceptions
from netservice.linux.links import Links
from netservice.linux.linktypes import Address, Route
from netservice.linux.memory import DryRunBackend, MemoryBackend, World


@pytest.fixture
def out():
    return io.StringIO()


@pytest.fixture
def links(out):
    backend = DryRunBackend("host", World(), out=out)
    backend.world.namespaces["vm"] = {}
    return Links(backend, backend.for_namespace)


def drain(out: io.StringIO) -> list[str]:
    lines = out.getvalue().splitlines()
    out.seek(0)
    out.truncate()
    return lines


def test_bridge_is_created_once(links, out):
    links.ensure_bridge("br100", gateway_address="10.0.0.1/24")
    assert drain(out) == [
        "netlink[host]: link add ifname=br100 kind=bridge br_forward_delay=0 br_stp_state=0",
        "netlink[host]: link set ifname=br100 state=up",
        "netlink[host]: addr add dev=br100 address=10.0.0.1/24",
        "netlink[host]: sysctl net.ipv4.ip_forward=1",
    ]
    links.ensure_bridge("br100", gateway_address="10.0.0.1/24")
    assert drain(out) == []


def test_enslaving_moves_addresses_and_gateway_routes(links, out):
    backend = links.backend
    backend.add_link("eth1", "veth")
    backend.add_address("eth1", Address("192.168.1.5", 24))
    backend.add_route("eth1", Route("0.0.0.0/0", "192.168.1.1"))
    links.ensure_bridge("br0", "eth1", gateway_address="192.168.1.2/24")
    assert backend.addresses("eth1") == []
    assert backend.addresses("br0") == [Address("192.168.1.2", 24), Address("192.168.1.5", 24)]
    assert backend.gateway_routes("br0") == [Route("0.0.0.0/0", "192.168.1.1")]
    assert backend.get_link("eth1").master == backend.get_link("br0").index
    drain(out)
    links.ensure_bridge("br0", "eth1", gateway_address="192.168.1.2/24")
    assert drain(out) == []


def test_gateway_address_is_put_first(links):
    backend = links.backend
    links.ensure_bridge("br0")
    backend.add_address("br0", Address("10.0.0.9", 24))
    links.ensure_address("br0", "10.0.0.1/24", first=True)
    assert backend.addresses("br0") == [Address("10.0.0.1", 24), Address("10.0.0.9", 24)]


def test_a_non_bridge_holding_the_name_is_a_conflict(links):
    links.backend.add_link("br0", "veth")
    with pytest.raises(Conflict, match="br0 exists and is a veth"):
        links.ensure_bridge("br0")


def test_vlan_without_kernel_support():
    backend = MemoryBackend("", World(kernel_kinds=frozenset({"bridge", "veth"})))
    backend.add_link("eth1", "veth")
    with pytest.raises(exceptions.NoVlanSupport, match=r"no 802\.1q support in this kernel"):
        Links(backend).ensure_vlan(5, "eth1")


def test_vlan_bridge_gets_the_mtu(links):
    links.backend.add_link("eth1", "veth")
    bridge = links.ensure_vlan_bridge(5, "eth1", mtu=1450)
    assert bridge.ifname == "br5" and bridge.mtu == 1450
    vlan = links.get("vlan5")
    assert vlan.master == bridge.index and vlan.mtu == 1450
    assert vlan.data["IFLA_VLAN_ID"] == 5


def test_one_vlan_id_on_two_interfaces_under_two_names(links):
    # The VLAN plugin's vlan5 on eth1, and another plugin's VLAN 5 on eth2.
    links.backend.add_link("eth1", "veth")
    links.backend.add_link("eth2", "veth")
    links.ensure_vlan_bridge(5, "eth1")
    links.ensure_vlan_bridge(5, "eth2", bridge="l2v5", ifname="eth2.5")
    assert links.get("vlan5").link == links.get("eth1").index
    assert links.get("eth2.5").link == links.get("eth2").index
    assert links.get("eth2.5").master == links.get("l2v5").index
    with pytest.raises(Conflict, match="vlan5 exists but is not VLAN 5 on eth2"):
        links.ensure_vlan(5, "eth2")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"vlan_id": 4095, "interface": "eth1"}, "vlan_id"),
        ({"vlan_id": 5, "interface": "x" * 16}, "interface"),
    ],
)
def test_vlan_bad_input(links, kwargs, field):
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        links.ensure_vlan(**kwargs)


def test_vxlan_is_replaced_when_its_parameters_change(links, out):
    links.backend.add_link("u1", "veth")
    links.ensure_vxlan(100, "192.168.0.1", "u1", remote="192.168.0.2")
    drain(out)
    links.ensure_vxlan(100, "192.168.0.1", "u1", remote="192.168.0.2")
    assert drain(out) == []
    links.ensure_vxlan(100, "192.168.0.1", "u1", remote="192.168.0.3")
    assert drain(out)[0] == "netlink[host]: link del ifname=vxlan100"


def test_vxlan_input_rules(links):
    links.backend.add_link("u1", "veth")
    with pytest.raises(InvalidInput, match="'vni'"):
        links.ensure_vxlan(0, "192.168.0.1", "u1", remote="192.168.0.2")
    with pytest.raises(InvalidInput, match="give exactly one"):
        links.ensure_vxlan(1, "192.168.0.1", "u1")
    with pytest.raises(InvalidInput, match="not multicast"):
        links.ensure_vxlan(1, "192.168.0.1", "u1", group="192.168.0.2")


def test_veth_across_namespaces_and_removal(links, out):
    links.ensure_bridge("br0")
    links.ensure_veth(
        "tap1", "eth0", peer_namespace="vm", peer_mac="fa:16:3e:00:00:01", bridge="br0"
    )
    peer = links.backend.world.namespaces["vm"]["eth0"]
    assert peer.mac == "fa:16:3e:00:00:01" and peer.up
    drain(out)
    links.ensure_veth(
        "tap1", "eth0", peer_namespace="vm", peer_mac="fa:16:3e:00:00:01", bridge="br0"
    )
    assert drain(out) == []
    links.remove_veth("tap1")
    links.remove_veth("tap1")
    assert "eth0" not in links.backend.world.namespaces["vm"]


def test_veth_into_a_missing_namespace(links):
    with pytest.raises(exceptions.LinkNotFound, match="nowhere"):
        links.ensure_veth("tap1", "eth0", peer_namespace="nowhere")


def test_namespaces_are_idempotent(links, out):
    links.ensure_namespace("x")
    links.ensure_namespace("x")
    links.remove_namespace("x")
    links.remove_namespace("x")
    assert drain(out) == ["netlink[host]: netns add x", "netlink[host]: netns del x"]
