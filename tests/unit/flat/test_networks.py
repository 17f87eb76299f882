from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.ipam import exceptions as ipam_exc
from netservice.ipam.planner import NetworkRequest
from tests.unit.flat.conftest import P1


def test_lookup_by_uuid_cidr_and_id(flat, network):
    nets = flat.networks
    assert nets.get(network["id"]).cidr == "10.0.0.0/24"
    assert nets.get("10.0.0.0/24").uuid == network["id"]
    assert nets.get("10.0.0.5/24").uuid == network["id"]  # host bits ignored
    assert nets.get(str(nets.get(network["id"]).id)).uuid == network["id"]
    for ref in ("10.9.0.0/24", "nothing", "7d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11"):
        with pytest.raises(ipam_exc.NetworkNotFound):
            nets.get(ref)
    with pytest.raises(exceptions.InvalidInput):
        nets.get("10.0.0.0/99")


def test_ipv6_only_network_by_cidr(flat):
    flat.networks.create(NetworkRequest(label="v6", cidr_v6="fd00::/64"))
    assert flat.networks.get("fd00::/64").cidr is None


def test_duplicate_uuid_is_a_conflict(flat):
    uuid = "6d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11"
    flat.networks.create(NetworkRequest(label="a", cidr="10.0.0.0/24", uuid=uuid))
    with pytest.raises(exceptions.Conflict, match=uuid):
        flat.networks.create(NetworkRequest(label="b", cidr="10.1.0.0/24", uuid=uuid))


def test_validate_networks(flat, network):
    flat.vnics.bind(P1, flat.vnics.create(P1).id)
    nets = flat.networks
    nets.validate_networks([(network["id"], None), (network["id"], "10.0.0.50")])
    with pytest.raises(ipam_exc.FixedIpAlreadyInUse):
        nets.validate_networks([(network["id"], "10.0.0.2")])
    with pytest.raises(ipam_exc.FixedIpNotInNetwork):
        nets.validate_networks([(network["id"], "10.0.1.2")])
    with pytest.raises(ipam_exc.NetworkNotFound):
        nets.validate_networks([("7d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11", None)])


def test_fixed_ip_getters(flat, network):
    row = flat.networks.get_fixed_ip_by_address("10.0.0.1")
    assert row.reserved and flat.networks.get_fixed_ip(row.id).address == "10.0.0.1"
    assert flat.networks.get_fixed_ip_by_address("10.0.0.200").id is None
    with pytest.raises(exceptions.NotFound):
        flat.networks.get_fixed_ip(12345)


def test_modify_refuses_value_with_disassociate(flat, network):
    with pytest.raises(exceptions.InvalidInput, match="'project'"):
        flat.networks.modify(network["id"], project="p1", disassociate_project=True)
    with pytest.raises(exceptions.InvalidInput, match="'host'"):
        flat.networks.modify(network["id"], host="h", disassociate_host=True)
    assert flat.networks.modify(network["id"]).project_id is None
