"""VLAN's VNICs and ports: the project's network (claimed on first use), the VPN
instance's reserved address, and FlatDHCP's fixed IP life cycle (shared code)."""

from __future__ import annotations

import dataclasses

import pytest
from netservice_vlan.exceptions import NoMoreNetworks

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.ipam.exceptions import FixedIpAlreadyInUse
from netservice.networks import domain
from tests.unit.vlan.conftest import ADMIN, P1, P2, counts, make_networks


def test_a_vnic_goes_on_the_projects_network_claimed_on_first_use(vlan):
    nets = make_networks(vlan, 2)
    card = vlan.vnics.create(P1, instance_id="i-1")
    assert card.network_id == nets[0].id
    assert vlan.networks.get(nets[0].uuid).project_id == "p1"
    assert vlan.vnics.create(P1).network_id == nets[0].id
    assert vlan.vnics.create(P2).network_id == nets[1].id
    assert vlan.vnics.bind(P1, card.id) == "10.0.0.3"  # .1 gateway, .2 VPN
    with pytest.raises(NoMoreNetworks):
        vlan.vnics.create(RequestContext("p3"))


def test_an_admin_creates_a_vnic_for_a_project(vlan):
    (net,) = make_networks(vlan, 1)
    card = vlan.vnics.create(ADMIN, project_id="p2")
    assert (card.project_id, card.network_id) == ("p2", net.id)
    assert vlan.networks.get(net.uuid).project_id == "p2"


def test_no_free_network_creates_no_vnic(vlan):
    make_networks(vlan, 1)
    vlan.vnics.create(P1)
    before = counts(vlan)
    with pytest.raises(NoMoreNetworks):
        vlan.vnics.create(P2)
    assert counts(vlan) == before


def test_the_vpn_instance_takes_the_reserved_vpn_address(vlan):
    make_networks(vlan, 1)
    vpn = vlan.vnics.create(P1, instance_id="cloudpipe")
    assert vlan.vnics.bind(P1, vpn.id, vpn=True) == "10.0.0.2"
    assert vlan.vnics.bind(P1, vpn.id, vpn=True) == "10.0.0.2"  # idempotent
    row = vlan.networks.get_fixed_ip_by_address("10.0.0.2")
    assert (row.allocated, row.reserved, row.vnic_id, row.instance_id) == (
        True, True, vpn.id, "cloudpipe",
    )  # fmt: skip
    other = vlan.vnics.create(P1)
    with pytest.raises(FixedIpAlreadyInUse):
        vlan.vnics.bind(P1, other.id, vpn=True)
    assert vlan.vnics.address_of(other.id) is None
    assert vlan.vnics.bind(P1, other.id) == "10.0.0.3"


def test_only_the_vpn_flag_gives_out_the_vpn_address(vlan):
    make_networks(vlan, 1)
    card = vlan.vnics.create(P1)
    with pytest.raises(FixedIpAlreadyInUse):
        vlan.vnics.bind(P1, card.id, address="10.0.0.2")
    with pytest.raises(exceptions.InvalidInput, match=r"VPN address 10\.0\.0\.2, not 10\.0\.0\.9"):
        vlan.vnics.bind(P1, card.id, address="10.0.0.9", vpn=True)
    assert vlan.vnics.bind(P1, card.id, address="10.0.0.2", vpn=True) == "10.0.0.2"


def test_the_vpn_address_stays_reserved_after_its_instance(vlan):
    (net,) = make_networks(vlan, 1)
    vpn = vlan.vnics.create(P1)
    vlan.vnics.bind(P1, vpn.id, vpn=True)
    with vlan.context.database.write_connection() as conn:
        vlan.allocator.lease(conn, net.id, "10.0.0.2")
    vlan.vnics.delete(P1, vpn.id)
    with vlan.context.database.write_connection() as conn:
        vlan.allocator.release(conn, net.id, "10.0.0.2", vnic_id=vpn.id)
    row = vlan.networks.get_fixed_ip_by_address("10.0.0.2")
    assert (row.allocated, row.leased, row.reserved, row.vnic_id) == (False, False, True, None)
    addresses = {vlan.vnics.bind(P1, vlan.vnics.create(P1).id) for _ in range(3)}
    assert "10.0.0.2" not in addresses
    again = vlan.vnics.create(P1)
    assert vlan.vnics.bind(P1, again.id, vpn=True) == "10.0.0.2"


def test_a_leased_address_is_held_until_released_as_in_flat_dhcp(vlan):
    (net,) = make_networks(vlan, 1)
    card = vlan.vnics.create(P1)
    vlan.vnics.bind(P1, card.id)
    with vlan.context.database.write_connection() as conn:
        vlan.allocator.lease(conn, net.id, "10.0.0.3")
    vlan.vnics.unbind(P1, card.id)
    assert vlan.vnics.bind(P1, vlan.vnics.create(P1).id) == "10.0.0.4"
    with vlan.context.database.write_connection() as conn:
        vlan.allocator.release(conn, net.id, "10.0.0.3", vnic_id=card.id)
    assert vlan.vnics.bind(P1, vlan.vnics.create(P1).id) == "10.0.0.3"


def test_network_info_names_the_networks_own_gateway(vlan):
    make_networks(vlan, 2)
    one, two = vlan.vnics.create(P1), vlan.vnics.create(P2)
    infos = []
    for ctx, card in ((P1, one), (P2, two)):
        address = vlan.vnics.bind(ctx, card.id)
        network = vlan.vnics.networks_of([card])[card.network_id]
        infos.append(vlan.vnics.network_info(card, network, address))
    assert [(i["ip_address"], i["gateway"], i["dhcp_server"]) for i in infos] == [
        ("10.0.0.3", "10.0.0.1", "10.0.0.1"),
        ("10.0.1.3", "10.0.1.1", "10.0.1.1"),
    ]


def test_vnics_are_frozen_read_models_and_network_info_names_the_bridge(vlan):
    (net,) = make_networks(vlan, 1)
    card = vlan.vnics.create(P1)
    assert isinstance(card, domain.Vnic) and card.network_uuid == net.uuid
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.project_id = "p2"
    address = vlan.vnics.bind(P1, card.id)
    info = vlan.vnics.network_info(card, vlan.vnics.network_of(card), address)
    assert info["bridge"] == net.bridge and net.bridge
