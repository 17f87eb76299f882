from __future__ import annotations

import dataclasses

import pytest

from netservice.core import exceptions
from netservice.ipam.exceptions import FixedIpQuotaExceeded
from netservice.networks import cards as vnics_module
from netservice.networks import domain
from tests.unit.flat.conftest import ADMIN, P1, P2


def test_lookups(flat, network):
    vnics = flat.vnics
    card = vnics.create(P1, instance_id="i-1")
    vnics.bind(P1, card.id)
    assert [c.id for c in vnics.get_vifs_by_instance(P1, "i-1")] == [card.id]
    assert vnics.get_vifs_by_instance(P2, "i-1") == []
    assert vnics.get_vif_by_mac_address(P1, card.mac.upper()).id == card.id
    with pytest.raises(exceptions.VnicNotFound):
        vnics.get_vif_by_mac_address(P2, card.mac)
    with pytest.raises(exceptions.InvalidInput):
        vnics.get_vif_by_mac_address(P1, "nope")
    assert vnics.get_instance_uuids_by_ip_filter({"ip": r"^10\.0\.0\.2$"}) == [
        {"instance_uuid": "i-1", "ip": "10.0.0.2"}
    ]
    assert vnics.get_instance_uuids_by_ip_filter({"ip": "^192"}) == []
    with pytest.raises(exceptions.InvalidInput):
        vnics.get_instance_uuids_by_ip_filter({"ip": "("})


def test_mac_collisions_are_retried_five_times(flat, network, monkeypatch):
    first = flat.vnics.create(P1)
    monkeypatch.setattr(vnics_module, "random_mac", lambda: first.mac)
    with pytest.raises(vnics_module.MacAddressExhausted, match="5 attempts"):
        flat.vnics.create(P1)
    macs = iter([first.mac, first.mac, "fa:16:3e:00:00:01"])
    monkeypatch.setattr(vnics_module, "random_mac", lambda: next(macs))
    assert flat.vnics.create(P1).mac == "fa:16:3e:00:00:01"


def test_admin_creates_for_another_project(flat, network):
    card = flat.vnics.create(ADMIN, project_id="p2")
    assert card.project_id == "p2" and flat.vnics.get(P2, card.id).id == card.id


def test_a_deleted_vnic_frees_its_address(flat, network):
    card = flat.vnics.create(P1)
    flat.vnics.bind(P1, card.id)
    flat.vnics.delete(P1, card.id)
    with pytest.raises(exceptions.VnicNotFound):
        flat.vnics.get(P1, card.id)
    assert flat.vnics.bind(P1, flat.vnics.create(P1).id) == "10.0.0.2"


@pytest.mark.parametrize("flat_extra", [{"flat": {"quota_fixed_ips": 1}}])
def test_fixed_ip_quota(flat, network):
    flat.vnics.bind(P1, flat.vnics.create(P1).id)
    with pytest.raises(FixedIpQuotaExceeded, match="p1 may hold 1"):
        flat.vnics.bind(P1, flat.vnics.create(P1).id)
    flat.vnics.bind(P2, flat.vnics.create(P2).id)  # another project's quota


# --- read models (issue #13) ----------------------------------------------------------------


def test_every_lookup_returns_a_frozen_vnic_with_network_uuid_and_address(flat, network):
    created = flat.vnics.create(P1, instance_id="i-1")
    assert isinstance(created, domain.Vnic) and created.address is None
    assert created.network_uuid == network["id"]
    flat.vnics.bind(P1, created.id)
    found = [
        flat.vnics.get(P1, created.id),
        flat.vnics.get_vif_by_mac_address(P1, created.mac),
        *flat.vnics.get_vifs_by_instance(P1, "i-1"),
    ]
    for card in found:
        assert isinstance(card, domain.Vnic)
        assert (card.id, card.network_uuid, card.address) == (
            created.id,
            network["id"],
            "10.0.0.2",
        )
        with pytest.raises(dataclasses.FrozenInstanceError):
            card.address = "10.0.0.9"
    assert flat.vnics.network_of(created).uuid == network["id"]
    by_uuid = dataclasses.replace(created, network_id=None)  # as RemoteVnics reads it
    assert flat.vnics.network_of(by_uuid).uuid == network["id"]


def test_a_bound_vnics_port_carries_its_network_info(flat, network):
    card = flat.vnics.create(P1)
    assert flat.vnics.port_of(card) is None
    flat.vnics.bind(P1, card.id)
    port = flat.vnics.port_of(flat.vnics.get(P1, card.id))
    assert isinstance(port, domain.Port)
    assert (port.id, port.address, port.network_info["ip_address"]) == (
        card.id,
        "10.0.0.2",
        "10.0.0.2",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        port.address = "10.0.0.9"


def test_network_info_names_the_networks_bridge(flat, network):
    card = flat.vnics.create(P1)
    info = flat.vnics.network_info(card, flat.vnics.network_of(card), None)
    assert info["bridge"] == "brflat"
