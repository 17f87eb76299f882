from __future__ import annotations

import pytest

from netservice.core import exceptions
from tests.unit.flat.conftest import P1


def test_default_vnic_prefers_the_projects_network(flat, admin_api, network):
    own = admin_api.post("/v1.0/flat/networks", {"network": {"label": "own", "cidr": "10.5.0.0/24",
                         "project_id": "p1"}}).json()["networks"][0]  # fmt: skip
    os_service = flat.get_os_service()
    first, second = os_service.get_default_vnic_id(P1), os_service.get_default_vnic_id(P1)
    assert first != second
    card = flat.vnics.get(P1, first)
    assert (
        card.mac.startswith("fa:16:3e:")
        and flat.vnics.networks_of([card])[card.network_id].uuid == own["id"]
    )
    assert os_service.get_project_resources(P1, "p1") == {
        "networks": 1,
        "vnics": 2,
        "fixed_ips": 0,
    }


def test_no_network_is_not_found(flat):
    with pytest.raises(exceptions.NotFound):
        flat.get_os_service().get_default_vnic_id(P1)


def test_no_vpn(flat):
    assert flat.get_os_service().get_project_vpn_address_and_port(P1, "p1") == (None, None)
