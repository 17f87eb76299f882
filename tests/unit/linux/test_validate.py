from __future__ import annotations

import pytest

from netservice.core.exceptions import InvalidInput
from netservice.linux import validate


@pytest.mark.parametrize(
    ("fn", "value", "field", "rule"),
    [
        (validate.mac, "fa:16:3e:00:00", "mac", "not a MAC"),
        (validate.mac, "01:00:5e:00:00:01", "mac", "multicast"),
        (validate.cidr, "10.0.0.0/33", "cidr", "not a CIDR"),
        (validate.cidr, "10.0.0.1/24", "cidr", "host bits set"),
        (validate.cidr, "10.0.0.0", "cidr", "not a CIDR"),
        (validate.ifname, "a" * 16, "ifname", "1 to 15 characters"),
        (validate.ifname, "br 0", "ifname", "may contain only"),
        (validate.vlan_id, 0, "vlan_id", "1..4094"),
        (validate.vlan_id, 4095, "vlan_id", "1..4094"),
        (validate.vni, 16_777_216, "vni", "1..16777215"),
        (validate.ipv4, "10.0.0.256", "address", "not an IPv4 address"),
    ],
)
def test_bad_values_name_the_parameter_and_the_rule(fn, value, field, rule):
    with pytest.raises(InvalidInput) as info:
        fn(value)
    assert f"'{field}'" in str(info.value) and rule in str(info.value)


def test_good_values_are_normalised():
    assert validate.mac("FA-16-3E-00-00-01") == "fa:16:3e:00:00:01"
    assert str(validate.cidr("10.0.0.0/24")) == "10.0.0.0/24"
    assert validate.ifname("a" * 15) == "a" * 15
    assert validate.vlan_id(4094) == 4094
    assert validate.vni(16_777_215) == 16_777_215
    assert validate.ip("2001:db8::1") == "2001:db8::1"
