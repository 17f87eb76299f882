"""The l2 VNICs: frozen read models on a segment, with no address."""

from __future__ import annotations

import dataclasses

import pytest

from netservice.core import exceptions
from netservice.networks import domain
from tests.unit.l2.conftest import P1


def test_vnics_are_frozen_read_models_of_their_segment(plugin):
    network = plugin.networks.create(label="seg", bridge="brseg")
    created = plugin.vnics.create(P1, network.id, instance_id="i-1")
    assert isinstance(created, domain.Vnic)
    assert (created.network_uuid, created.network_id, created.address) == (network.id, None, None)
    assert plugin.vnics.get(P1, created.id) == created
    assert plugin.vnics.list(P1) == [created]
    assert plugin.vnics.network_of(created).bridge == "brseg"
    with pytest.raises(dataclasses.FrozenInstanceError):
        created.instance_id = "i-2"


def test_a_mac_taken_every_time_is_mac_address_exhausted(plugin, monkeypatch):
    network = plugin.networks.create(label="seg", bridge="brseg")
    first = plugin.vnics.create(P1, network.id)
    monkeypatch.setattr("netservice.networks.cards.random_mac", lambda: first.mac)
    with pytest.raises(exceptions.Conflict, match="5 attempts"):
        plugin.vnics.create(P1, network.id)
