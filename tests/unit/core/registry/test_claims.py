"""The claim builders: spans, keys and the words messages use."""

from __future__ import annotations

from netservice.core.registry import claims


def test_a_fixed_range_is_its_cidr_with_the_networks_key():
    claim = claims.fixed_range("flat", 3, "10.147.0.0/24")
    assert (claim.cidr, claim.family, claim.conflict_key) == ("10.147.0.0/24", 4, "flat/network/3")
    assert claim.first_hex == f"{0x0A930000:032x}" and claim.last_hex == f"{0x0A9300FF:032x}"
    assert claim.describe() == "10.147.0.0/24 of network 3 (flat)"


def test_ipv6_sorts_by_the_same_fixed_width_hex():
    claim = claims.fixed_range("vlan", 1, "fd00::/64")
    assert claim.family == 6 and len(claim.first_hex) == len(claim.last_hex) == 32
    assert claim.first_hex < claim.last_hex


def test_a_floating_range_is_the_cidrs_that_cover_exactly_its_addresses():
    # 203.0.113.0/29's hosts: .1 to .6.
    got = claims.floating_range("flat_dhcp", 0xCB007101, 0xCB007106)
    assert [c.cidr for c in got] == [
        "203.0.113.1/32", "203.0.113.2/31", "203.0.113.4/31", "203.0.113.6/32",
    ]  # fmt: skip
    assert {c.conflict_key for c in got} == {"flat_dhcp/floating"}
    assert got[0].describe() == "203.0.113.1-203.0.113.6 of floating IPs (flat_dhcp)"


def test_a_vpn_endpoint_names_address_protocol_and_port():
    claim = claims.vpn_endpoint("vlan", 2, "198.51.100.7", 1000)
    assert (claim.cidr, claim.protocol, claim.port) == ("198.51.100.7/32", "udp", 1000)
    assert claim.describe() == "VPN 198.51.100.7 udp/1000 of network 2 (vlan)"


def test_a_shared_bridge_is_keyed_by_plugin_a_segment_bridge_by_network():
    assert claims.bridge("flat_dhcp", 1, "br100", shared=True).conflict_key == "flat_dhcp"
    assert claims.bridge("vlan", 1, "br100", shared=False).conflict_key == "vlan/network/1"


def test_segments_are_vlans_on_an_interface_or_vnis_on_an_underlay():
    vlan = claims.segment("vlan", 1, 100, "eth1", vxlan=False)
    vni = claims.segment("vlan", 1, 5000, None, vxlan=True)
    assert vlan.describe() == "VLAN 100 on eth1 of network 1 (vlan)"
    assert (vni.kind, vni.scope, vni.resource, vni.words) == ("vni", "*", "5000", "VNI 5000")
