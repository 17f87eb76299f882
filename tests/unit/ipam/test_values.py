import pytest

from netservice.core import exceptions
from netservice.ipam import values


def test_flag_spellings():
    assert values.flag("T", "f", default=False) is True
    assert values.flag("no", "f", default=True) is False
    assert values.flag(None, "f", default=True) is True
    with pytest.raises(exceptions.InvalidInput, match="'multi_host'"):
        values.flag("perhaps", "multi_host", default=False)


def test_positive_int():
    assert values.positive_int(" 3 ", "n") == 3
    assert values.positive_int(None, "n", default=7) == 7
    for bad in (True, "1.5", -1, 0):
        with pytest.raises(exceptions.InvalidInput, match="'n'"):
            values.positive_int(bad, "n")
    with pytest.raises(exceptions.InvalidInput, match="is required"):
        values.positive_int(None, "n")


def test_networks_and_names():
    assert str(values.ipv4_network("10.0.0.7/24", "c")) == "10.0.0.0/24"
    with pytest.raises(exceptions.InvalidInput):
        values.ipv6_network("10.0.0.0/24", "c")
    with pytest.raises(exceptions.InvalidInput):
        values.bridge_name("has space", "bridge")
