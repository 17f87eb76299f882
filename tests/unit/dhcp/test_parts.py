"""The host-side part interfaces: what implements them today, and the default L2 part."""

from __future__ import annotations

import types

from netservice_vlan.segmentation import Segmentation

from netservice.dhcp.parts import CreatedBridge, FirewallDriver, L2Segment
from netservice.linux.firewall import Firewall


def test_the_nftables_firewall_is_a_firewall_driver():
    assert issubclass(Firewall, FirewallDriver)


def test_something_without_the_methods_is_not_a_firewall_driver():
    class NatOnly:
        def ensure_network(self, network_id, cidr):
            return None

    assert not isinstance(NatOnly(), FirewallDriver)


def test_created_bridge_and_vlan_segmentation_are_l2_parts():
    assert isinstance(CreatedBridge(), L2Segment)
    config = types.SimpleNamespace(
        segmentation="vlan", network_mtu=None, vlan_interface="eth1", vxlan_remotes=[]
    )
    assert isinstance(Segmentation.from_config(config), L2Segment)


def test_created_bridge_enslaves_the_interface_and_ignores_the_segment():
    calls = []

    class Links:
        def ensure_bridge(self, bridge, **kwargs):
            calls.append((bridge, kwargs))

    CreatedBridge().ensure(
        Links(), vlan=7, bridge="br100", interface="eth1", gateway_address="10.0.0.1/24"
    )
    assert calls == [("br100", {"interface": "eth1", "gateway_address": "10.0.0.1/24"})]
