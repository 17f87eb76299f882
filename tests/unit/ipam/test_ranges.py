import pytest

from netservice.core import exceptions
from netservice.ipam import ranges


def test_range_excludes_network_and_broadcast_and_narrows():
    assert ranges.allocation_range("10.0.0.0/24").describe() == ("10.0.0.1", "10.0.0.254")
    narrowed = ranges.allocation_range(
        "10.0.0.0/24", fixed_cidr="10.0.0.0/28", allowed_start="10.0.0.4"
    )
    # fixed_cidr's last address is left out, as nova never handed it out.
    assert narrowed.describe() == ("10.0.0.4", "10.0.0.14") and narrowed.size == 11
    # ... and so are its first two, wherever it sits in the network.
    inner = ranges.allocation_range("10.0.0.0/24", fixed_cidr="10.0.0.128/25")
    assert inner.describe() == ("10.0.0.130", "10.0.0.254")
    assert ranges.allocation_range("10.0.0.0/24", fixed_cidr="10.0.0.8/31").size == 0
    assert ranges.allocation_range("10.0.0.0/31").size == 2


def test_reserved_addresses():
    assert ranges.reserved_addresses(
        "10.0.0.0/30", gateway="10.0.0.1", dhcp_server="10.9.9.9"
    ) == [
        ranges.to_int("10.0.0.0"),
        ranges.to_int("10.0.0.1"),
        ranges.to_int("10.0.0.3"),
    ]


def test_to_int_refuses_junk_and_ipv6():
    with pytest.raises(exceptions.InvalidInput, match="'address'"):
        ranges.to_int("junk")
    with pytest.raises(exceptions.InvalidInput, match="IPv4"):
        ranges.to_int("fd00::1")
