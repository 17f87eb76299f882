"""FlatDHCP's ports: the DHCP life cycle of a fixed IP, floating IPs that follow
the instance, and multi_host network info."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from netservice.ipam.exceptions import FixedIpQuotaExceeded
from netservice.ipam.planner import NetworkRequest
from netservice.networks import domain
from tests.unit.flat_dhcp.conftest import P1, P2, drain


def _row(dhcp, address):
    row = dhcp.networks.get_fixed_ip_by_address(address)
    return row.allocated, row.leased, row.vnic_id is not None, row.freed_at is not None


def _net_id(dhcp, network):
    return dhcp.networks.get(network["id"]).id


def _lease(dhcp, network_id, address):
    with dhcp.context.database.write_connection() as conn:
        assert dhcp.allocator.lease(conn, network_id, address) is not None


def _release(dhcp, network_id, address, vnic_id):
    with dhcp.context.database.write_connection() as conn:
        return dhcp.allocator.release(conn, network_id, address, vnic_id=vnic_id)


def test_an_address_never_leased_is_freed_at_once(dhcp, network):
    card = dhcp.vnics.create(P1)
    assert dhcp.vnics.bind(P1, card.id) == "10.0.0.2"
    assert dhcp.vnics.unbind(P1, card.id) == "10.0.0.2"
    assert _row(dhcp, "10.0.0.2") == (False, False, False, True)
    assert dhcp.vnics.bind(P1, dhcp.vnics.create(P1).id) == "10.0.0.2"


def test_a_leased_address_is_held_until_released(dhcp, changes, network):
    net_id = _net_id(dhcp, network)
    card = dhcp.vnics.create(P1)
    dhcp.vnics.bind(P1, card.id)
    _lease(dhcp, net_id, "10.0.0.2")
    drain(changes)
    dhcp.vnics.unbind(P1, card.id)
    assert drain(changes) == [str(net_id)]
    assert _row(dhcp, "10.0.0.2") == (False, True, True, False)  # deallocated, still held
    assert dhcp.vnics.address_of(card.id) is None
    assert dhcp.vnics.unbind(P1, card.id) is None  # idempotent
    assert dhcp.vnics.bind(P1, dhcp.vnics.create(P1).id) == "10.0.0.3"  # not handed out
    assert _release(dhcp, net_id, "10.0.0.2", card.id) is True  # dnsmasq's del
    assert _row(dhcp, "10.0.0.2") == (False, False, False, True)
    assert dhcp.vnics.bind(P1, dhcp.vnics.create(P1).id) == "10.0.0.2"


def test_deleting_a_vnic_holds_its_leased_address(dhcp, network):
    card = dhcp.vnics.create(P1)
    dhcp.vnics.bind(P1, card.id)
    _lease(dhcp, _net_id(dhcp, network), "10.0.0.2")
    dhcp.vnics.delete(P1, card.id)
    assert _row(dhcp, "10.0.0.2") == (False, True, True, False)


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"quota_fixed_ips": 1}}])
def test_fixed_ip_quota(dhcp, network):
    dhcp.vnics.bind(P1, dhcp.vnics.create(P1).id)
    second = dhcp.vnics.create(P1)
    with pytest.raises(FixedIpQuotaExceeded, match="p1 may hold 1"):
        dhcp.vnics.bind(P1, second.id)
    assert dhcp.vnics.address_of(second.id) is None
    dhcp.vnics.bind(P2, dhcp.vnics.create(P2).id)


# --- floating IPs follow the instance -----------------------------------------------------


def test_unbind_disassociates_floating_ips(dhcp, network, pool):
    card = dhcp.vnics.create(P1, instance_id="i-1")
    address = dhcp.vnics.bind(P1, card.id)
    record = dhcp.floating.allocate(P1)
    dhcp.floating.associate(P1, record.address, address, None)
    dhcp.vnics.unbind(P1, card.id)
    after = dhcp.floating.get_floating_ip_by_address(record.address)
    assert (after.fixed_address, after.project_id) == (None, "p1")  # still the project's


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"auto_assign_floating_ip": "true"}}])
def test_auto_assign_gives_the_first_fixed_ip_a_floating_ip(dhcp, network, pool):
    first = dhcp.vnics.create(P1, instance_id="i-1")
    address = dhcp.vnics.bind(P1, first.id)
    (auto,) = dhcp.floating.get_floating_ips_by_project("p1")
    assert (auto.fixed_address, auto.auto_assigned) == (address, True)
    assert dhcp.floating.usage("p1") == 0  # exempt from the quota
    second = dhcp.vnics.create(P1, instance_id="i-1")
    dhcp.vnics.bind(P1, second.id)
    assert len(dhcp.floating.get_floating_ips_by_project("p1")) == 1  # first fixed IP only
    dhcp.vnics.unbind(P1, first.id)
    assert dhcp.floating.get_floating_ips_by_project("p1") == []  # freed with the instance


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"auto_assign_floating_ip": "true"}}])
def test_auto_assign_without_floating_ips_keeps_the_fixed_ip(dhcp, network, caplog):
    card = dhcp.vnics.create(P1, instance_id="i-1")
    with caplog.at_level(logging.WARNING):
        assert dhcp.vnics.bind(P1, card.id) == "10.0.0.2"
    assert "has no floating IP" in caplog.text
    assert dhcp.vnics.address_of(card.id) == "10.0.0.2"


# --- network info -------------------------------------------------------------------------


def test_network_info_names_the_networks_dhcp_server(dhcp, network):
    card = dhcp.vnics.create(P1)
    address = dhcp.vnics.bind(P1, card.id)
    net = dhcp.vnics.networks_of([card])[card.network_id]
    info = dhcp.vnics.network_info(card, net, address)
    assert (info["dhcp_server"], info["gateway"], info["ra_server"]) == (
        "10.0.0.1",
        "10.0.0.1",
        None,
    )


def test_multi_host_network_info_names_the_instances_host(dhcp):
    (net,), _ = dhcp.networks.create(NetworkRequest(label="m", cidr="10.2.0.0/24",
                                                    multi_host=True))  # fmt: skip
    card = dhcp.vnics.create(P1, network=net.uuid)
    address = dhcp.vnics.bind(P1, card.id, host="compute-1")
    assert dhcp.vnics.network_info(card, net, address)["dhcp_server"] == "10.2.0.1"  # unclaimed
    own = dhcp.networks.claim_dhcp_address(net.uuid, "compute-1")
    info = dhcp.vnics.network_info(card, net, address)
    assert (info["dhcp_server"], info["gateway"], info["ip_address"]) == (own, own, address)


def test_network_info_names_the_networks_bridge(dhcp, network):
    card = dhcp.vnics.create(P1)
    net = dhcp.vnics.network_of(card)
    assert net.bridge and dhcp.vnics.network_info(card, net, None)["bridge"] == net.bridge


def test_bind_port_returns_a_frozen_port(dhcp, network):
    card = dhcp.vnics.create(P1)
    port = dhcp.vnics.bind_port(P1, card.id, lambda project_id: None)
    assert isinstance(port, domain.Port) and isinstance(port.vnic, domain.Vnic)
    assert (port.id, port.address, port.vnic.network_uuid) == (card.id, "10.0.0.2", network["id"])
    assert port.network_info["dhcp_server"] == "10.0.0.1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        port.vnic.mac = "fa:16:3e:00:00:09"
