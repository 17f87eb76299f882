"""The DHCP driver interface: dnsmasq and its dry-run twin implement it."""

from __future__ import annotations

import io

import pytest

from netservice.dhcp.driver import DhcpDriver
from netservice.linux import process
from netservice.linux.dnsmasq import Dnsmasq
from netservice.linux.dnsmasq_dryrun import DryRunDnsmasq


@pytest.mark.parametrize("cls", [Dnsmasq, DryRunDnsmasq])
def test_dnsmasq_is_a_dhcp_driver(tmp_path, cls):
    driver = cls(tmp_path, process.DryRunRunner(out=io.StringIO()))
    assert isinstance(driver, DhcpDriver)


def test_something_without_the_methods_is_not():
    class Half:
        def ensure(self, network, hosts=None):
            return 1

    assert not isinstance(Half(), DhcpDriver)


def test_the_tests_fake_is_a_dhcp_driver():
    from tests.unit.dhcp.fakes import FakeDhcp

    assert isinstance(FakeDhcp(), DhcpDriver)
