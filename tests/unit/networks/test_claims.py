"""What a network of the shared layer claims, by topology."""

from __future__ import annotations

from types import SimpleNamespace

from netservice.ipam import planner
from netservice.networks.claims import network_claims
from netservice.networks.topology import Topology


def row(**values):
    base = {"id": 3, "cidr": "10.0.0.0/24", "gateway": "10.0.0.1", "cidr_v6": None,
            "gateway_v6": None, "bridge": "br100", "vlan": None, "bridge_interface": None,
            "vpn_public_address": None, "vpn_public_port": None}  # fmt: skip
    return SimpleNamespace(**{**base, **values})


FLAT = Topology(name="flat_dhcp", free_on_unbind=False, planner=planner.Topology())
VLAN = Topology(
    name="vlan",
    free_on_unbind=False,
    planner=planner.Topology(vlan=True, default_bridge=None),
    vpn_ip="198.51.100.7",
)
VXLAN = Topology(
    name="vlan",
    free_on_unbind=False,
    planner=planner.Topology(vlan=True, max_vlan=planner.MAX_VNI),
)


def test_flat_claims_its_range_and_a_shared_bridge():
    got = network_claims(FLAT, row())
    assert [c.describe() for c in got] == [
        "10.0.0.0/24 of network 3 (flat_dhcp)",
        "bridge br100 of network 3 (flat_dhcp)",
    ]
    assert got[1].conflict_key == "flat_dhcp"  # its networks share the bridge


def test_a_gateway_outside_the_range_is_claimed_on_its_own():
    got = network_claims(FLAT, row(gateway="192.0.2.1"))
    assert "gateway 192.0.2.1 of network 3 (flat_dhcp)" in [c.describe() for c in got]


def test_vlan_claims_its_bridge_alone_its_vlan_on_the_interface_and_its_vpn():
    got = network_claims(
        VLAN, row(bridge="br100", vlan=100, bridge_interface="eth1", vpn_public_port=1000)
    )
    assert [c.describe() for c in got] == [
        "10.0.0.0/24 of network 3 (vlan)",
        "bridge br100 of network 3 (vlan)",
        "VLAN 100 on eth1 of network 3 (vlan)",
        "VPN 198.51.100.7 udp/1000 of network 3 (vlan)",
    ]
    assert got[1].conflict_key == "vlan/network/3"


def test_vxlan_claims_a_vni_on_the_underlay():
    got = network_claims(VXLAN, row(vlan=5000, bridge_interface="eth9", vpn_public_port=1000))
    assert "VNI 5000 on eth9 of network 3 (vlan)" in [c.describe() for c in got]
    assert not [c for c in got if c.kind == "vpn"]  # no address known: no endpoint claimed
