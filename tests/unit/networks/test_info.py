from __future__ import annotations

import types

from netservice.core.network_info import NETWORK_INFO_KEYS
from netservice.networks import info

NET = types.SimpleNamespace(
    cidr="10.0.0.0/24", cidr_v6="fd00:1::/64", netmask="255.255.255.0", netmask_v6="64",
    gateway="10.0.0.1", gateway_v6="fd00:1::1", broadcast="10.0.0.255", dns1="8.8.4.4", dns2=None,
    bridge="br100",
)  # fmt: skip
CARD = types.SimpleNamespace(mac="fa:16:3e:00:00:01")


def test_address_v6_is_the_eui64_of_the_mac():
    assert info.address_v6("fd00:1::/64", CARD.mac) == "fd00:1::f816:3eff:fe00:1"
    assert info.address_v6(None, CARD.mac) is None


def test_network_info_keys_and_overrides():
    plain = info.network_info(CARD, NET, "10.0.0.2")
    assert set(plain) == NETWORK_INFO_KEYS
    assert plain["bridge"] == "br100"
    assert (plain["gateway"], plain["dhcp_server"], plain["dns"]) == (
        "10.0.0.1",
        None,
        ["8.8.4.4"],
    )
    own = info.network_info(CARD, NET, "10.0.0.2", dhcp_server="10.0.0.5", gateway="10.0.0.5")
    assert (own["gateway"], own["dhcp_server"]) == ("10.0.0.5", "10.0.0.5")
