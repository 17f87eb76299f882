from __future__ import annotations

import netaddr
import pytest

from netservice.core import exceptions
from netservice.ipam import planner
from netservice.ipam.exceptions import CidrConflict, DuplicateVlan, NetworkRangeTooSmall
from netservice.ipam.planner import NetworkRequest, Topology, Used

FLAT = Topology()
VLAN = Topology(vlan=True, default_bridge=None, default_bridge_interface="eth1")


NOTHING_USED = Used()


def plan(topology=FLAT, used=NOTHING_USED, **options):
    options.setdefault("label", "net")
    return planner.plan_networks(NetworkRequest(**options), topology, used)


def test_positional_form_defaults():
    (net,) = plan(cidr="192.168.0.0/24", num_networks="1", network_size="256").networks
    assert (net.cidr, net.netmask, net.gateway, net.broadcast) == (
        "192.168.0.0/24",
        "255.255.255.0",
        "192.168.0.1",
        "192.168.0.255",
    )
    assert (net.dhcp_server, net.dhcp_start, net.dns1, net.dns2) == (
        "192.168.0.1",
        "192.168.0.2",
        "8.8.4.4",
        None,
    )
    assert (net.bridge, net.bridge_interface, net.multi_host, net.label) == (
        "br100",
        None,
        False,
        "net",
    )
    assert net.vlan is None and net.vpn_public_port is None and net.cidr_v6 is None


def test_splits_into_consecutive_subnets_with_label_suffixes():
    nets = plan(cidr="10.0.0.0/16", num_networks=3, network_size=256).networks
    assert [n.cidr for n in nets] == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
    assert [n.label for n in nets] == ["net_0", "net_1", "net_2"]
    assert len({n.uuid for n in nets}) == 3


def test_network_size_is_rounded_up_to_a_power_of_two():
    (net,) = plan(cidr="10.0.0.0/24", network_size=100).networks
    assert net.cidr == "10.0.0.0/25"


def test_missing_size_divides_the_range_without_nova_bug():
    nets = plan(cidr="192.168.0.0/24", num_networks=2).networks
    assert [n.cidr for n in nets] == ["192.168.0.0/25", "192.168.0.128/25"]


def test_missing_size_is_capped_at_256_with_a_warning():
    result = plan(cidr="10.0.0.0/16")
    assert result.networks[0].cidr == "10.0.0.0/24"
    assert "capped at 256" in result.warnings[0]


def test_ipv6_subnets_never_longer_than_64():
    nets = plan(cidr="10.0.0.0/23", cidr_v6="fd00::/48", num_networks=2, network_size=256).networks
    assert [n.cidr_v6 for n in nets] == ["fd00::/64", "fd00:0:0:1::/64"]
    assert (nets[0].netmask_v6, nets[0].gateway_v6) == ("64", "fd00::1")


def test_ipv6_only():
    (net,) = plan(cidr_v6="fd00::/64").networks
    assert net.cidr is None and net.cidr_v6 == "fd00::/64" and net.reserved() == []


def test_ipv6_range_too_small():
    with pytest.raises(NetworkRangeTooSmall, match="fixed_range_v6"):
        plan(cidr_v6="fd00::/64", num_networks=2, network_size=256)


def test_gateway_and_gateway_v6_options():
    (net,) = plan(
        cidr="10.0.0.0/24", gateway="10.0.0.254", cidr_v6="fd00::/64", gateway_v6="fd00::fe"
    ).networks
    assert (net.gateway, net.dhcp_server, net.gateway_v6) == (
        "10.0.0.254",
        "10.0.0.254",
        "fd00::fe",
    )
    assert net.reserved() == [167772160, 167772414, 167772415]


def test_every_other_option_is_kept():
    (net,) = plan(
        cidr="10.0.0.0/24",
        bridge="br9",
        bridge_interface="eth9",
        multi_host="T",
        dns1="1.1.1.1",
        dns2="9.9.9.9",
        uuid="6d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11",
        project_id="p1",
        fixed_cidr="10.0.0.128/25",
        allowed_start="10.0.0.130",
        allowed_end="10.0.0.140",
    ).networks
    assert (net.bridge, net.bridge_interface, net.multi_host, net.dns1, net.dns2) == (
        "br9",
        "eth9",
        True,
        "1.1.1.1",
        "9.9.9.9",
    )
    assert (net.uuid, net.project_id, net.fixed_cidr) == (
        "6d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11",
        "p1",
        "10.0.0.128/25",
    )
    alloc = net.allocation_range()
    assert alloc.describe() == ("10.0.0.130", "10.0.0.140")


# --- overlap rules ---------------------------------------------------------------


def test_a_used_subnet_moves_to_the_next_free_one():
    nets = plan(
        cidr="10.0.0.0/16", num_networks=2, network_size=256, used=Used(cidrs=["10.0.0.0/24"])
    ).networks
    assert [n.cidr for n in nets] == ["10.0.1.0/24", "10.0.2.0/24"]


def test_a_subnet_holding_a_smaller_used_cidr_moves_on():
    nets = plan(cidr="10.0.0.0/16", network_size=256, used=Used(cidrs=["10.0.0.64/26"])).networks
    assert nets[0].cidr == "10.0.1.0/24"


def test_a_subnet_inside_a_used_one_conflicts():
    with pytest.raises(
        CidrConflict, match=r"10.0.1.0/24 conflicts with existing cidr 10.0.0.0/16"
    ):
        plan(cidr="10.0.1.0/24", used=Used(cidrs=["10.0.0.0/16"]))


def test_no_room_left_conflicts():
    with pytest.raises(
        CidrConflict, match=r"Requested cidr .* conflicts with existing cidr 10.0.0.0/24"
    ):
        plan(cidr="10.0.0.0/24", used=Used(cidrs=["10.0.0.0/24"]))


def test_conflict_is_409_and_range_error_400():
    from netservice.core.wsgi.faults import status_for

    assert status_for(CidrConflict(cidr="a", other="b")) == 409
    assert status_for(NetworkRangeTooSmall(field="f", reason="r")) == 400


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"label": None, "cidr": "10.0.0.0/24"}, "label"),
        ({"label": "x" * 256, "cidr": "10.0.0.0/24"}, "label"),
        ({}, "fixed_range_v4"),
        ({"cidr": "10.0.0.0/33"}, "fixed_range_v4"),
        ({"cidr": "fd00::/64"}, "fixed_range_v4"),
        ({"cidr": "10.0.0.0/24", "network_size": 0}, "network_size"),
        ({"cidr": "10.0.0.0/24", "network_size": "abc"}, "network_size"),
        ({"cidr": "10.0.0.0/24", "network_size": 2}, "network_size"),
        ({"cidr": "10.0.0.0/24", "num_networks": 0}, "num_networks"),
        ({"cidr": "10.0.0.0/24", "num_networks": "two"}, "num_networks"),
        ({"cidr": "10.0.0.0/24", "gateway": "10.0.1.1"}, "gateway"),
        ({"cidr": "10.0.0.0/24", "gateway": "10.0.0.255"}, "gateway"),
        ({"cidr": "10.0.0.0/24", "gateway": "nope"}, "gateway"),
        ({"cidr": "10.0.0.0/24", "cidr_v6": "fd00::/64", "gateway_v6": "fd01::1"}, "gateway_v6"),
        (
            {"cidr": "10.0.0.0/24", "allowed_start": "10.0.0.50", "allowed_end": "10.0.0.40"},
            "allowed_start",
        ),
        ({"cidr": "10.0.0.0/24", "allowed_end": "10.0.1.40"}, "allowed_end"),
        ({"cidr": "10.0.0.0/24", "fixed_cidr": "10.0.1.0/25"}, "fixed_cidr"),
        ({"cidr": "10.0.0.0/24", "fixed_cidr": "junk"}, "fixed_cidr"),
        ({"cidr": "10.0.0.0/24", "multi_host": "maybe"}, "multi_host"),
        ({"cidr": "10.0.0.0/24", "dns1": "dns.example"}, "dns1"),
        ({"cidr": "10.0.0.0/24", "uuid": "not-a-uuid"}, "uuid"),
        (
            {
                "cidr": "10.0.0.0/24",
                "num_networks": 2,
                "uuid": "6d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11",
            },
            "uuid",
        ),
        ({"cidr": "10.0.0.0/24", "project_id": "bad project"}, "project_id"),
        ({"cidr": "10.0.0.0/24", "bridge": "a-very-long-bridge-name"}, "bridge"),
    ],
)
def test_bad_input_names_the_field(options, field):
    with pytest.raises(exceptions.InvalidInput) as caught:
        plan(**options)
    assert f"'{field}'" in str(caught.value)


def test_range_not_big_enough():
    with pytest.raises(NetworkRangeTooSmall, match="The network range is not big enough"):
        plan(cidr="10.0.0.0/24", num_networks=2, network_size=256)
    with pytest.raises(NetworkRangeTooSmall, match="'network_size'"):
        plan(cidr="10.0.0.0/25", network_size=256)


def test_no_bridge_anywhere_is_refused():
    with pytest.raises(exceptions.InvalidInput, match="'bridge'"):
        plan(Topology(default_bridge=None), cidr="10.0.0.0/24")


# --- VLAN variant ---------------------------------------------------------------------


def test_vlan_networks():
    nets = plan(
        VLAN, cidr="10.0.0.0/16", num_networks=2, network_size=256, vlan_start=200
    ).networks
    assert [(n.vlan, n.bridge, n.vpn_public_port) for n in nets] == [
        (200, "br200", 1000),
        (201, "br201", 1001),
    ]
    first = nets[0]
    assert (first.vpn_private_address, first.dhcp_start, first.bridge_interface) == (
        "10.0.0.2",
        "10.0.0.3",
        "eth1",
    )
    assert 167772162 in first.reserved(cnt_vpn_clients=2)  # the VPN address
    assert 167772413 in first.reserved(cnt_vpn_clients=2)  # top, below broadcast


def test_vlan_takes_the_next_free_vlan():
    nets = plan(
        VLAN, used=Used(vlans=[100, 102]), cidr="10.0.0.0/16", num_networks=2, network_size=256
    ).networks
    assert [n.vlan for n in nets] == [101, 103]


def test_vlan_errors():
    with pytest.raises(exceptions.InvalidInput, match="exceeds 4094"):
        plan(VLAN, cidr="10.0.0.0/8", num_networks=10, network_size=4, vlan_start=4090)
    with pytest.raises(exceptions.InvalidInput, match="'vlan'"):
        plan(VLAN, cidr="10.0.0.0/24", vlan=4095)
    with pytest.raises(DuplicateVlan):
        plan(VLAN, cidr="10.0.0.0/24", vlan=7, used=Used(vlans=[7]))
    with pytest.raises(exceptions.InvalidInput, match="'bridge_interface'"):
        plan(Topology(vlan=True, default_bridge=None), cidr="10.0.0.0/24")


def test_used_from():
    used = planner.used_from([("10.0.0.0/24", None, 5), (None, "fd00::/64", None)])
    assert (list(used.cidrs), list(used.cidrs_v6), list(used.vlans)) == (
        ["10.0.0.0/24"],
        ["fd00::/64"],
        [5],
    )
    assert list(planner.used_from([("10.0.0.0/24", None, 5, 1000)]).vpn_ports) == [1000]


VXLAN = Topology(vlan=True, default_bridge=None, default_bridge_interface="eth1",
                 max_vlan=planner.MAX_VNI)  # fmt: skip


def test_vxlan_ids_go_past_4094():
    (net,) = plan(VXLAN, cidr="10.0.0.0/24", vlan=5000).networks
    assert (net.vlan, net.bridge) == (5000, "br5000")
    nets = plan(VXLAN, cidr="10.0.0.0/8", num_networks=2, network_size=4,
                vlan_start=16_777_213).networks  # fmt: skip
    assert [n.vlan for n in nets] == [16_777_213, 16_777_214]
    # nova's rule, kept: num_networks + vlan_start may not pass the top.
    with pytest.raises(exceptions.InvalidInput, match="exceeds 16777215"):
        plan(VXLAN, cidr="10.0.0.0/8", num_networks=3, network_size=4, vlan_start=16_777_213)
    with pytest.raises(exceptions.InvalidInput, match=r"1\.\.16777215"):
        plan(VXLAN, cidr="10.0.0.0/24", vlan=16_777_216)
    with pytest.raises(exceptions.InvalidInput, match=r"1\.\.4094"):
        plan(VLAN, cidr="10.0.0.0/24", vlan=5000)


def test_vpn_ports_skip_those_other_networks_have():
    nets = plan(VLAN, used=Used(vpn_ports=[1000, 1002]), cidr="10.0.0.0/16", num_networks=3,
                network_size=256).networks  # fmt: skip
    assert [n.vpn_public_port for n in nets] == [1001, 1003, 1004]
    with pytest.raises(exceptions.InvalidInput, match=r"'vpn_start'.*65535"):
        plan(VLAN, cidr="10.0.0.0/16", num_networks=2, network_size=256, vpn_start=65535)


# --- the layout: allowed_start moves it, fixed_cidr's ends (nova's rules) ---------------

FLAT_DHCP = Topology(default_bridge="br100")


@pytest.mark.parametrize("topology", [FLAT, FLAT_DHCP], ids=["flat", "flat_dhcp"])
def test_allowed_start_is_the_gateway_then_dhcp_start(topology):
    (net,) = plan(topology, cidr="192.168.0.0/24", allowed_start="192.168.0.10",
                  allowed_end="192.168.0.14").networks  # fmt: skip
    assert (net.gateway, net.dhcp_server, net.dhcp_start, net.vpn_private_address) == (
        "192.168.0.10",
        "192.168.0.10",
        "192.168.0.11",
        None,
    )
    assert net.allocation_range().describe() == ("192.168.0.10", "192.168.0.14")
    assert "192.168.0.10" in [str(netaddr.IPAddress(a)) for a in net.reserved()]


def test_vlan_allowed_start_is_gateway_then_vpn_then_dhcp_start():
    (net,) = plan(VLAN, cidr="192.168.0.0/24", allowed_start="192.168.0.10",
                  allowed_end="192.168.0.14").networks  # fmt: skip
    assert (net.gateway, net.vpn_private_address, net.dhcp_start) == (
        "192.168.0.10",
        "192.168.0.11",
        "192.168.0.12",
    )
    reserved = [str(netaddr.IPAddress(a)) for a in net.reserved()]
    assert reserved == ["192.168.0.0", "192.168.0.10", "192.168.0.11", "192.168.0.255"]


def test_nova_validate_reserved_start_end_values():
    # nova's test_validate_reserved_start_end (VLAN, without its dhcp_server option).
    (net,) = plan(VLAN, cidr="192.168.0.0/24", allowed_start="192.168.0.10",
                  allowed_end="192.168.0.245").networks  # fmt: skip
    assert (net.gateway, net.vpn_private_address, net.dhcp_start) == (
        "192.168.0.10",
        "192.168.0.11",
        "192.168.0.12",
    )


def test_a_given_gateway_stays_and_the_layout_still_starts_at_allowed_start():
    (flat,) = plan(cidr="10.0.0.0/24", gateway="10.0.0.1", allowed_start="10.0.0.10").networks
    assert (flat.gateway, flat.dhcp_start) == ("10.0.0.1", "10.0.0.10")
    (vlan,) = plan(VLAN, cidr="10.0.0.0/24", gateway="10.0.0.11",
                   allowed_start="10.0.0.10").networks  # fmt: skip
    # The given gateway is skipped, never taken as the VPN address or dhcp_start.
    assert (vlan.gateway, vlan.vpn_private_address, vlan.dhcp_start) == (
        "10.0.0.11",
        "10.0.0.10",
        "10.0.0.12",
    )


def test_without_allowed_start_the_layout_is_unchanged():
    (net,) = plan(VLAN, cidr="10.0.0.0/24", allowed_end="10.0.0.100").networks
    assert (net.gateway, net.vpn_private_address, net.dhcp_start) == (
        "10.0.0.1",
        "10.0.0.2",
        "10.0.0.3",
    )


def test_fixed_cidr_first_two_and_last_are_never_handed_out():
    for topology in (FLAT, FLAT_DHCP, VLAN):
        (net,) = plan(topology, cidr="10.0.0.0/24", fixed_cidr="10.0.0.128/25").networks
        assert net.allocation_range().describe() == ("10.0.0.130", "10.0.0.254")
        # The gateway and VPN address stay at the bottom of the network.
        assert net.gateway == "10.0.0.1"


@pytest.mark.parametrize(
    ("topology", "options", "field", "needle"),
    [
        (FLAT, {"allowed_start": "10.0.0.0"}, "allowed_start", "network or broadcast"),
        (FLAT, {"allowed_start": "10.0.0.255"}, "allowed_start", "network or broadcast"),
        (FLAT, {"allowed_start": "10.0.0.254"}, "allowed_start", "no room"),
        (VLAN, {"allowed_start": "10.0.0.253"}, "allowed_start", "no room"),
        # Room for the layout, none left to hand out.
        (FLAT, {"allowed_start": "10.0.0.10", "allowed_end": "10.0.0.10"}, "allowed_start",
         "only reserved"),
        (VLAN, {"allowed_start": "10.0.0.10", "allowed_end": "10.0.0.11"}, "allowed_start",
         "only reserved"),
        (FLAT, {"fixed_cidr": "10.0.0.8/31"}, "fixed_cidr", "no allocatable address"),
        (VLAN, {"fixed_cidr": "10.0.0.0/30"}, "fixed_cidr", "only reserved"),  # .2: VPN
    ],
)  # fmt: skip
def test_a_layout_with_nothing_to_hand_out_is_refused(topology, options, field, needle):
    # dhcp_start is handed out (nova never reserved it): Flat .10-.11 leaves .11.
    assert plan(cidr="10.0.0.0/24", allowed_start="10.0.0.10", allowed_end="10.0.0.11")
    with pytest.raises(exceptions.InvalidInput) as caught:
        plan(topology, cidr="10.0.0.0/24", **options)
    assert f"'{field}'" in str(caught.value) and needle in str(caught.value)


@pytest.mark.parametrize(
    ("used", "vlan_start", "expected"),
    [
        (Used(), 100, (100, 1000)),
        (Used(vlans=[100, 101], vpn_ports=[1000, 1001]), 100, (102, 1002)),
        # nova: vlan_start + i + <networks that exist> = 101; here the option's own value.
        (Used(vlans=[200], vpn_ports=[1000]), 100, (100, 1001)),
        (Used(vlans=[100, 101], vpn_ports=[1000, 1001]), 500, (500, 1002)),  # nova: 502
    ],
)
def test_vlan_numbering_is_vlan_start_plus_i_or_the_next_free(used, vlan_start, expected):
    """The table of docs/vlan.md ("VLAN numbering: a deliberate difference from nova")."""
    (net,) = plan(VLAN, used=used, cidr="10.9.0.0/24", network_size=16,
                  vlan_start=vlan_start).networks  # fmt: skip
    assert (net.vlan, net.vpn_public_port) == expected
