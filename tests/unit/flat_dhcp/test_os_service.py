from __future__ import annotations

import pytest

from netservice.core import exceptions
from tests.unit.flat_dhcp.conftest import P1


def test_default_vnic_and_project_resources(dhcp, network, pool):
    os_service = dhcp.get_os_service()
    first = os_service.get_default_vnic_id(P1)
    assert first != os_service.get_default_vnic_id(P1)
    dhcp.vnics.bind(P1, first)
    dhcp.floating.allocate(P1)
    assert os_service.get_project_resources(P1, "p1") == {
        "networks": 0,
        "vnics": 2,
        "fixed_ips": 1,
        "floating_ips": 1,
    }


def test_no_network_is_not_found(dhcp):
    with pytest.raises(exceptions.NotFound, match="flat_dhcp"):
        dhcp.get_os_service().get_default_vnic_id(P1)


def test_no_vpn(dhcp):
    assert dhcp.get_os_service().get_project_vpn_address_and_port(P1, "p1") == (None, None)
