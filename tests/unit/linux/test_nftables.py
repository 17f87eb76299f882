"""The generated ruleset, compared as text."""

from __future__ import annotations

import pytest

from netservice.core.exceptions import InvalidInput
from netservice.linux import nftables

CONFIG = nftables.NatConfig(
    public_interface="eth0",
    routing_source_ip="192.168.1.2",
    metadata_host="192.168.1.2",
    metadata_port=8775,
    dmz_cidrs=("172.16.0.0/12", "10.128.0.0/9"),
)


def test_base_batch():
    assert nftables.base_batch(CONFIG) == (
        "add table ip netservice\n"
        "add map ip netservice fip_dnat { type ipv4_addr : ipv4_addr; }\n"
        "add map ip netservice fip_snat { type ipv4_addr : ipv4_addr; }\n"
        "add map ip netservice nat_networks { type ipv4_addr : verdict; flags interval; }\n"
        "add map ip netservice vpn_dnat"
        " { type ipv4_addr . inet_service : ipv4_addr . inet_service; }\n"
        "add set ip netservice vpn_servers { type ipv4_addr; }\n"
        "add set ip netservice isolated_bridges { type ifname; }\n"
        "add map ip netservice isolation { type ifname : verdict; }\n"
        "add map ip netservice isolation_in { type ifname : verdict; }\n"
        "add set ip netservice internal_nets { type ipv4_addr; flags interval; }\n"
        "add chain ip netservice prerouting"
        " { type nat hook prerouting priority dstnat; policy accept; }\n"
        "flush chain ip netservice prerouting\n"
        "add chain ip netservice output { type nat hook output priority -100; policy accept; }\n"
        "flush chain ip netservice output\n"
        "add chain ip netservice postrouting"
        " { type nat hook postrouting priority srcnat; policy accept; }\n"
        "flush chain ip netservice postrouting\n"
        "add rule ip netservice prerouting dnat ip to ip daddr . udp dport map @vpn_dnat\n"
        "add rule ip netservice prerouting dnat ip to ip daddr map @fip_dnat\n"
        "add rule ip netservice output dnat ip to ip daddr . udp dport map @vpn_dnat\n"
        "add rule ip netservice output dnat ip to ip daddr map @fip_dnat\n"
        "add rule ip netservice prerouting ip daddr 169.254.169.254 tcp dport 80"
        " dnat ip to 192.168.1.2:8775\n"
        "add rule ip netservice postrouting ip saddr vmap @nat_networks\n"
        'add rule ip netservice postrouting oifname "eth0" snat ip to ip saddr map @fip_snat\n'
        "add chain ip netservice forward"
        " { type filter hook forward priority filter; policy accept; }\n"
        "flush chain ip netservice forward\n"
        "add rule ip netservice forward udp dport 1194 ip daddr @vpn_servers accept\n"
        "add rule ip netservice forward ct status dnat accept\n"
        "add rule ip netservice forward iifname vmap @isolation\n"
        "add rule ip netservice forward oifname vmap @isolation_in\n"
        "add table bridge netservice\n"
        "add map bridge netservice vnic_ports { type ifname : verdict; }\n"
        "add chain bridge netservice prerouting"
        " { type filter hook prerouting priority -200; policy accept; }\n"
        "flush chain bridge netservice prerouting\n"
        "add rule bridge netservice prerouting iifname vmap @vnic_ports\n"
    )


def test_network_batch_in_novas_order():
    assert nftables.network_batch(CONFIG, "7", "10.0.0.0/24") == (
        "add chain ip netservice net-7\n"
        "flush chain ip netservice net-7\n"
        "add rule ip netservice net-7 ip daddr 192.168.1.2 accept\n"
        "add rule ip netservice net-7 ip daddr { 172.16.0.0/12, 10.128.0.0/9 } accept\n"
        "add rule ip netservice net-7 ip daddr 10.0.0.0/24 ct status != dnat accept\n"
        'add rule ip netservice net-7 oifname "eth0" snat ip to ip saddr map @fip_snat\n'
        'add rule ip netservice net-7 oifname "eth0" snat ip to 192.168.1.2\n'
        "add element ip netservice nat_networks { 10.0.0.0/24 : jump net-7 }\n"
        "add element ip netservice internal_nets { 10.0.0.0/24 }\n"
    )


def test_without_optional_settings():
    bare = nftables.NatConfig(table="t")
    batch = nftables.network_batch(bare, "n", "10.0.0.0/24")
    assert "oifname" not in batch and "snat ip to 1" not in batch and "accept\n" in batch
    assert "169.254.169.254" not in nftables.base_batch(bare)


def test_floating_ip_batches_touch_only_map_elements():
    assert nftables.bind_batch(CONFIG, "192.168.1.50", "10.0.0.5") == (
        "add element ip netservice fip_dnat { 192.168.1.50 : 10.0.0.5 }\n"
        "add element ip netservice fip_snat { 10.0.0.5 : 192.168.1.50 }\n"
    )
    assert nftables.unbind_batch(CONFIG, "192.168.1.50", "10.0.0.5") == (
        "add element ip netservice fip_dnat { 192.168.1.50 : 10.0.0.5 }\n"
        "delete element ip netservice fip_dnat { 192.168.1.50 : 10.0.0.5 }\n"
        "add element ip netservice fip_snat { 10.0.0.5 : 192.168.1.50 }\n"
        "delete element ip netservice fip_snat { 10.0.0.5 : 192.168.1.50 }\n"
    )


def test_vpn_batch_is_two_elements():
    assert nftables.vpn_batch(CONFIG, "192.168.1.2", 1000, "10.0.0.2") == (
        "add element ip netservice vpn_dnat { 192.168.1.2 . 1000 : 10.0.0.2 . 1194 }\n"
        "add element ip netservice vpn_servers { 10.0.0.2 }\n"
    )


def test_remove_vpn_batch_adds_before_deleting_and_may_keep_the_server():
    assert nftables.remove_vpn_batch(CONFIG, "192.168.1.2", 1000, "10.0.0.2").splitlines() == [
        "add element ip netservice vpn_dnat { 192.168.1.2 . 1000 : 10.0.0.2 . 1194 }",
        "delete element ip netservice vpn_dnat { 192.168.1.2 . 1000 : 10.0.0.2 . 1194 }",
        "add element ip netservice vpn_servers { 10.0.0.2 }",
        "delete element ip netservice vpn_servers { 10.0.0.2 }",
    ]
    kept = nftables.remove_vpn_batch(CONFIG, "192.168.1.2", 1000, "10.0.0.2", keep_server=True)
    assert "vpn_servers" not in kept


def test_isolation_batches():
    assert nftables.isolate_batch(CONFIG, "br100").splitlines() == [
        "add chain ip netservice iso-br100",
        "flush chain ip netservice iso-br100",
        'add rule ip netservice iso-br100 oifname "br100" return',
        "add rule ip netservice iso-br100 ip daddr @internal_nets drop",
        "add chain ip netservice isoin-br100",
        "flush chain ip netservice isoin-br100",
        'add rule ip netservice isoin-br100 iifname "br100" return',
        "add rule ip netservice isoin-br100 ip saddr @internal_nets drop",
        'add element ip netservice isolated_bridges { "br100" }',
        'add element ip netservice isolation { "br100" : jump iso-br100 }',
        'add element ip netservice isolation_in { "br100" : jump isoin-br100 }',
    ]
    assert nftables.unisolate_batch(CONFIG, "br100").splitlines() == [
        "add chain ip netservice iso-br100",
        "add chain ip netservice isoin-br100",
        'add element ip netservice isolation { "br100" : jump iso-br100 }',
        'delete element ip netservice isolation { "br100" : jump iso-br100 }',
        'add element ip netservice isolation_in { "br100" : jump isoin-br100 }',
        'delete element ip netservice isolation_in { "br100" : jump isoin-br100 }',
        'add element ip netservice isolated_bridges { "br100" }',
        'delete element ip netservice isolated_bridges { "br100" }',
        "flush chain ip netservice iso-br100",
        "delete chain ip netservice iso-br100",
        "flush chain ip netservice isoin-br100",
        "delete chain ip netservice isoin-br100",
    ]


def test_vnic_batch():
    assert nftables.vnic_batch(
        CONFIG, "tap1", "FA:16:3E:00:00:01", ["10.0.0.5", "2001:db8::5"]
    ) == (
        "add chain bridge netservice vnic-tap1\n"
        "flush chain bridge netservice vnic-tap1\n"
        "add rule bridge netservice vnic-tap1 ether saddr != fa:16:3e:00:00:01 drop\n"
        "add rule bridge netservice vnic-tap1 ether type arp"
        " arp saddr ether != fa:16:3e:00:00:01 drop\n"
        "add rule bridge netservice vnic-tap1 ether type arp"
        " arp saddr ip != { 0.0.0.0, 10.0.0.5 } drop\n"
        "add rule bridge netservice vnic-tap1 ether type arp accept\n"
        "add rule bridge netservice vnic-tap1 ether type ip udp sport 67 drop\n"
        "add rule bridge netservice vnic-tap1 ether type ip udp sport 68 udp dport 67 accept\n"
        "add rule bridge netservice vnic-tap1 ether type ip ip saddr { 10.0.0.5 } accept\n"
        "add rule bridge netservice vnic-tap1 ether type ip6"
        " ip6 saddr { ::, fe80::/10, 2001:db8::5 } accept\n"
        "add rule bridge netservice vnic-tap1 drop\n"
        'add element bridge netservice vnic_ports { "tap1" : jump vnic-tap1 }\n'
    )


def test_removals_add_before_deleting_so_they_are_idempotent():
    assert nftables.remove_vnic_batch(CONFIG, "tap1").splitlines() == [
        "add chain bridge netservice vnic-tap1",
        'add element bridge netservice vnic_ports { "tap1" : jump vnic-tap1 }',
        'delete element bridge netservice vnic_ports { "tap1" : jump vnic-tap1 }',
        "flush chain bridge netservice vnic-tap1",
        "delete chain bridge netservice vnic-tap1",
    ]
    assert nftables.remove_network_batch(CONFIG, "7", "10.0.0.0/24").splitlines()[1:3] == [
        "add element ip netservice nat_networks { 10.0.0.0/24 : jump net-7 }",
        "delete element ip netservice nat_networks { 10.0.0.0/24 : jump net-7 }",
    ]
    assert nftables.remove_all_batch(CONFIG).splitlines() == [
        "add table ip netservice",
        "delete table ip netservice",
        "add table bridge netservice",
        "delete table bridge netservice",
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: nftables.bind_batch(CONFIG, "1.2.3", "10.0.0.5"), "floating_ip"),
        (lambda: nftables.network_batch(CONFIG, "n", "10.0.0.1/24"), "cidr"),
        (lambda: nftables.network_batch(CONFIG, "bad id", "10.0.0.0/24"), "network_id"),
        (lambda: nftables.vnic_batch(CONFIG, "tap1", "zz", []), "mac"),
        (lambda: nftables.vnic_batch(CONFIG, "t" * 16, "fa:16:3e:00:00:01", []), "port"),
        (lambda: nftables.vpn_batch(CONFIG, "1.2.3", 1000, "10.0.0.2"), "vpn_public_address"),
        (lambda: nftables.vpn_batch(CONFIG, "1.2.3.4", 70000, "10.0.0.2"), "vpn_public_port"),
        (lambda: nftables.vpn_batch(CONFIG, "1.2.3.4", 1000, "x"), "vpn_private_address"),
        (lambda: nftables.isolate_batch(CONFIG, 'br" }; flush'), "bridge"),
    ],
)
def test_bad_input_names_the_parameter(call, field):
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        call()


def test_remove_network_without_a_cidr_removes_only_the_chain():
    batch = nftables.remove_network_batch(nftables.NatConfig(), "999", None)
    assert batch == (
        "add chain ip netservice net-999\n"
        "flush chain ip netservice net-999\n"
        "delete chain ip netservice net-999\n"
    )
