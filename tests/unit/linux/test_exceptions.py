from __future__ import annotations

import pytest

from netservice.core.exceptions import ConfigurationError, ServiceUnavailable
from netservice.linux import exceptions


@pytest.mark.parametrize(
    ("binary", "package"),
    [
        ("dnsmasq", "dnsmasq-base"),
        ("nft", "nftables"),
        ("udhcpc", "udhcpc"),
        ("dhcp_release", "dnsmasq-utils"),
        ("conntrack", "conntrack"),
        ("arping", "arping"),
    ],
)
def test_binary_not_found_names_the_package(binary, package):
    exc = exceptions.BinaryNotFound(binary, searched="/usr/sbin:/sbin")
    assert isinstance(exc, ConfigurationError)
    assert str(exc) == (
        f"{binary} not found (looked in PATH and /usr/sbin:/sbin): "
        f"install the Debian package '{package}'"
    )


def test_no_vlan_support_says_so():
    exc = exceptions.NoVlanSupport(ifname="vlan5", error="[errno 95]")
    assert isinstance(exc, ServiceUnavailable)
    assert "no 802.1q support in this kernel" in str(exc)
