from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.wsgi.faults import status_for
from netservice.floating import ranges
from netservice.floating.exceptions import FloatingIpRangeTooLarge, FloatingIpRangeTooSmall


def test_a_single_address_stands_for_itself():
    got = ranges.parse(" 203.0.113.7 ")
    assert (got.text, got.first, got.last, got.size) == ("203.0.113.7", got.first, got.first, 1)


def test_a_cidr_stands_for_its_hosts():
    got = ranges.parse("203.0.113.0/29")
    assert got.text == "203.0.113.0/29"
    assert got.size == 6  # .1 to .6: no network or broadcast address


def test_host_bits_are_ignored_as_netaddr_did_for_nova():
    assert ranges.parse("203.0.113.5/29") == ranges.parse("203.0.113.0/29")


@pytest.mark.parametrize("cidr", ["203.0.113.0/31", "203.0.113.1/32"])
def test_a_cidr_below_four_addresses_is_refused(cidr):
    with pytest.raises(FloatingIpRangeTooSmall) as caught:
        ranges.parse(cidr)
    assert cidr.split("/")[0].rsplit(".", 1)[0] in caught.value.message
    assert "at least 4" in caught.value.message
    assert status_for(caught.value) == 400


def test_the_smallest_accepted_cidr_is_a_slash_30():
    assert ranges.parse("203.0.113.0/30").size == 2


def test_a_million_addresses_or_more_is_refused():
    with pytest.raises(FloatingIpRangeTooLarge) as caught:
        ranges.parse("10.0.0.0/12")  # 1,048,576
    assert "10.0.0.0/12" in caught.value.message and "/12" in caught.value.message
    assert status_for(caught.value) == 400
    assert ranges.parse("10.0.0.0/13").size == 2**19 - 2


@pytest.mark.parametrize("bad", ["", "nonsense", "10.0.0.0/33", "2001:db8::/120", "2001:db8::1"])
def test_malformed_or_ipv6_ranges_are_invalid_input(bad):
    with pytest.raises(exceptions.InvalidInput) as caught:
        ranges.parse(bad)
    assert "ip_range" in caught.value.message
