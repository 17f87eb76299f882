"""The DHCP side of FlatDHCP's networks service: host claims, the timeout sweep,
leases, multi_host addresses and notifications."""

from __future__ import annotations

import dataclasses
import datetime
import threading

import pytest

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.ipam.exceptions import NetworkInUse, NetworkNotFound
from netservice.ipam.planner import NetworkRequest
from netservice.networks import domain
from tests.unit.flat_dhcp.conftest import P1, P2, drain


def _net(dhcp, ref):
    return dhcp.networks.get(ref)


def _lease(dhcp, network_id, address):
    with dhcp.context.database.write_connection() as conn:
        dhcp.allocator.lease(conn, network_id, address)


def _bind(dhcp, context=P1, **kwargs):
    card = dhcp.vnics.create(context, instance_id=kwargs.pop("instance_id", None))
    return card, dhcp.vnics.bind(context, card.id, **kwargs)


def test_set_network_host_first_host_wins(dhcp, changes, network):
    net = _net(dhcp, network["id"])
    drain(changes)
    assert dhcp.networks.set_network_host(network["id"], "net-1") == "net-1"
    assert dhcp.networks.set_network_host(str(net.id), "net-2") == "net-1"
    assert _net(dhcp, network["id"]).host == "net-1"
    assert drain(changes) == [str(net.id)]  # only the claim that won


def test_set_network_host_is_atomic_under_concurrency(dhcp, changes, network):
    drain(changes)
    start = threading.Barrier(8)
    answers: dict[str, str] = {}

    def claim(host):
        start.wait()
        answers[host] = dhcp.networks.set_network_host(network["id"], host)

    threads = [threading.Thread(target=claim, args=(f"net-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = set(answers.values())
    assert len(answers) == 8 and len(winners) == 1
    assert _net(dhcp, network["id"]).host in winners
    assert len(drain(changes)) == 1


def test_set_network_host_refuses_bad_input(dhcp, network):
    with pytest.raises(NetworkNotFound):
        dhcp.networks.set_network_host("10.9.0.0/24", "net-1")
    with pytest.raises(exceptions.InvalidInput, match="'host'"):
        dhcp.networks.set_network_host(network["id"], "bad host")
    assert _net(dhcp, network["id"]).host is None


def test_a_multi_host_network_is_never_claimed(dhcp):
    (net,), _ = dhcp.networks.create(NetworkRequest(label="m", cidr="10.2.0.0/24", multi_host="T"))
    assert dhcp.networks.set_network_host(net.uuid, "net-1") == "net-1"
    assert _net(dhcp, net.uuid).host is None


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"multi_host": "true"}}])
def test_multi_host_option_is_the_create_default(dhcp):
    (net,), _ = dhcp.networks.create(NetworkRequest(label="m", cidr="10.2.0.0/24"))
    (other,), _ = dhcp.networks.create(
        NetworkRequest(label="s", cidr="10.3.0.0/24", multi_host="F")
    )
    assert (net.multi_host, other.multi_host) == (True, False)


def test_served_by(dhcp, network):
    (multi,), _ = dhcp.networks.create(NetworkRequest(label="m", cidr="10.2.0.0/24",
                                                      multi_host=True))  # fmt: skip
    dhcp.networks.set_network_host(network["id"], "net-1")
    assert [n.uuid for n in dhcp.networks.served_by("net-1")] == [network["id"], multi.uuid]
    assert [n.uuid for n in dhcp.networks.served_by("net-2")] == [multi.uuid]


# --- the timeout sweep --------------------------------------------------------------------


def test_disassociate_expired_frees_only_timed_out_held_addresses(dhcp, changes, network):
    net = _net(dhcp, network["id"])
    dhcp.networks.set_network_host(network["id"], "net-1")
    held, _ = _bind(dhcp)
    _lease(dhcp, net.id, "10.0.0.2")
    dhcp.vnics.unbind(P1, held.id)
    _bind(dhcp)  # 10.0.0.3, still allocated
    drain(changes)
    assert dhcp.networks.disassociate_expired("net-1") == 0  # not yet 600 s
    later = utcnow() + datetime.timedelta(seconds=601)
    assert dhcp.networks.disassociate_expired("net-2", now=later) == 0  # not its network
    assert dhcp.networks.disassociate_expired("net-1", now=later) == 1
    assert drain(changes) == [str(net.id)]
    freed = dhcp.networks.get_fixed_ip_by_address("10.0.0.2")
    assert (freed.allocated, freed.leased, freed.vnic_id) == (False, False, None)
    assert dhcp.networks.get_fixed_ip_by_address("10.0.0.3").allocated
    assert dhcp.networks.disassociate_expired("net-1", now=later) == 0  # idempotent
    assert _bind(dhcp)[1] == "10.0.0.2"  # free again


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"fixed_ip_disassociate_timeout": 0}}])
def test_the_timeout_comes_from_the_option(dhcp, network):
    dhcp.networks.set_network_host(network["id"], "net-1")
    card, _ = _bind(dhcp)
    _lease(dhcp, _net(dhcp, network["id"]).id, "10.0.0.2")
    dhcp.vnics.unbind(P1, card.id)
    assert (
        dhcp.networks.disassociate_expired("net-1", now=utcnow() + datetime.timedelta(0, 1)) == 1
    )


# --- leases ---------------------------------------------------------------------------------


def test_get_dhcp_leases_lists_allocated_and_held_addresses(dhcp, network):
    net = _net(dhcp, network["id"])
    first, _ = _bind(dhcp, instance_id="i-1")
    second, _ = _bind(dhcp, instance_id="i-2")
    _lease(dhcp, net.id, "10.0.0.3")
    dhcp.vnics.unbind(P1, second.id)  # leased: held
    _bind(dhcp, context=P2)
    entries = dhcp.networks.get_dhcp_leases(network["id"])
    assert [(e.address, e.allocated, e.leased) for e in entries] == [
        ("10.0.0.2", True, False),
        ("10.0.0.3", False, True),
        ("10.0.0.4", True, False),
    ]
    assert (entries[0].mac, entries[0].instance_id) == (first.mac, "i-1")
    assert all(isinstance(e, domain.Lease) for e in entries)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entries[0].leased = True
    assert dhcp.networks.get_dhcp_leases(network["id"], host="elsewhere") == []
    with pytest.raises(NetworkNotFound):
        dhcp.networks.get_dhcp_leases("10.9.0.0/24")


def test_update_dns_wakes_each_network(dhcp, changes, network):
    drain(changes)
    dhcp.networks.update_dns([1, "2"])
    assert drain(changes) == ["1", "2"]


# --- multi_host -------------------------------------------------------------------------------


@pytest.fixture
def multi(dhcp):
    (net,), _ = dhcp.networks.create(
        NetworkRequest(label="m", cidr="10.2.0.0/24", multi_host=True)
    )
    return net


def test_each_host_claims_its_own_dhcp_address(dhcp, changes, multi):
    drain(changes)
    assert dhcp.networks.dhcp_address(multi, "compute-1") is None
    assert dhcp.networks.claim_dhcp_address(multi.uuid, "compute-1") == "10.2.0.2"
    assert dhcp.networks.claim_dhcp_address(multi.uuid, "compute-1") == "10.2.0.2"  # idempotent
    assert dhcp.networks.claim_dhcp_address(multi.uuid, "compute-2") == "10.2.0.3"
    assert dhcp.networks.dhcp_address(multi, "compute-2") == "10.2.0.3"
    assert drain(changes) == [str(multi.id)] * 2
    assert _bind(dhcp, host="compute-1")[1] == "10.2.0.4"
    assert dhcp.networks.release_dhcp_address(multi.uuid, "compute-2") == "10.2.0.3"
    assert dhcp.networks.release_dhcp_address(multi.uuid, "compute-2") is None
    assert dhcp.networks.dhcp_address(multi, "compute-2") is None


def test_a_host_address_does_not_block_network_delete(dhcp, multi):
    dhcp.networks.claim_dhcp_address(multi.uuid, "compute-1")
    dhcp.networks.delete(multi.uuid)
    with pytest.raises(NetworkNotFound):
        dhcp.networks.get(multi.uuid)


def test_a_vnic_still_blocks_network_delete(dhcp, multi):
    _bind(dhcp, host="compute-1")
    with pytest.raises(NetworkInUse, match="allocated"):
        dhcp.networks.delete(multi.uuid)


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"share_dhcp_address": "true"}}])
def test_share_dhcp_address_uses_the_networks_address(dhcp, multi):
    assert dhcp.networks.claim_dhcp_address(multi.uuid, "compute-1") == "10.2.0.1"
    assert dhcp.networks.dhcp_address(multi, "compute-1") == "10.2.0.1"
    assert dhcp.networks.fixed_list("compute-1") == []


def test_setup_networks_on_host(dhcp, network, multi):
    card = dhcp.vnics.create(P1, network=multi.uuid, instance_id="i-1")
    dhcp.vnics.create(P1, network=network["id"], instance_id="i-1")  # not multi_host
    dhcp.vnics.bind(P1, card.id, host="compute-1")
    assert dhcp.networks.setup_networks_on_host(P1, "i-1", "compute-1") == [multi.uuid]
    assert dhcp.networks.dhcp_address(multi, "compute-1") == "10.2.0.3"
    assert dhcp.networks.setup_networks_on_host(P2, "i-1", "compute-1") == []  # not theirs
    # Another instance on the host keeps the host's address through a teardown.
    other = dhcp.vnics.create(P1, network=multi.uuid, instance_id="i-2")
    dhcp.vnics.bind(P1, other.id, host="compute-1")
    dhcp.networks.setup_networks_on_host(P1, "i-1", "compute-1", teardown=True)
    assert dhcp.networks.dhcp_address(multi, "compute-1") == "10.2.0.3"
    dhcp.vnics.unbind(P1, other.id)
    dhcp.networks.setup_networks_on_host(P1, "i-1", "compute-1", teardown=True)
    assert dhcp.networks.dhcp_address(multi, "compute-1") is None
