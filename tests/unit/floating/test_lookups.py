from __future__ import annotations

import re

import pytest

from netservice.core import exceptions
from netservice.floating.exceptions import FloatingIpNotFound
from tests.unit.floating.conftest import ADMIN, ALICE, BOB


@pytest.fixture
def associated(floating, pool, fixed):
    address = floating.allocate(ALICE).address
    fixed_address = fixed("i-7")
    floating.associate(ALICE, address, fixed_address, "net-host")
    return address, fixed_address


def test_get_floating_ip_by_id_and_address(floating, associated):
    address, fixed_address = associated
    record = floating.get_floating_ip_by_address(address)
    assert floating.get_floating_ip(record.id) == record
    assert (record.address, record.pool, record.project_id) == (address, "nova", "alice")
    assert (record.fixed_address, record.instance_id, record.host) == (
        fixed_address,
        "i-7",
        "net-host",
    )


def test_unknown_ids_and_addresses_are_not_found(floating, pool):
    with pytest.raises(FloatingIpNotFound, match="with id 999"):
        floating.get_floating_ip(999)
    with pytest.raises(FloatingIpNotFound, match="with id x"):
        floating.get_floating_ip("x")
    with pytest.raises(FloatingIpNotFound, match=re.escape("192.0.2.1")):
        floating.get_floating_ip_by_address("192.0.2.1")
    with pytest.raises(exceptions.InvalidInput):
        floating.get_floating_ip_by_address("nope")


def test_with_a_context_another_projects_address_is_not_found(floating, associated):
    address, _ = associated
    record = floating.get_floating_ip_by_address(address, context=ALICE)
    assert floating.get_floating_ip_by_address(address, context=ADMIN) == record
    with pytest.raises(FloatingIpNotFound):
        floating.get_floating_ip_by_address(address, context=BOB)
    with pytest.raises(FloatingIpNotFound):
        floating.get_floating_ip(record.id, context=BOB)
    with pytest.raises(FloatingIpNotFound):
        floating.get_floating_ip_by_address("203.0.113.6", context=ALICE)  # free


def test_deleted_addresses_are_not_found(floating, pool):
    record = floating.get_floating_ip_by_address("198.51.100.1")
    floating.delete_range("198.51.100.1")
    with pytest.raises(FloatingIpNotFound):
        floating.get_floating_ip(record.id)


def test_pools(floating, pool):
    assert floating.get_floating_ip_pools() == ["nova", "other"]
    floating.delete_range("198.51.100.0/30")
    assert floating.get_floating_ip_pools() == ["nova"]


def test_by_fixed_address(floating, associated):
    address, fixed_address = associated
    assert floating.get_floating_ips_by_fixed_address(fixed_address) == [address]
    assert floating.get_floating_ips_by_fixed_address("10.0.0.200") == []


def test_by_project_includes_auto_assigned(floating, associated):
    floating.allocate(ALICE, auto_assigned=True)
    floating.allocate(BOB)
    got = floating.get_floating_ips_by_project("alice")
    assert [(r.address, r.auto_assigned) for r in got] == [
        (associated[0], False),
        ("203.0.113.2", True),
    ]
    assert floating.get_floating_ips_by_project("nobody") == []


def test_instance_id_by_floating_address(floating, associated):
    assert floating.get_instance_id_by_floating_address(associated[0]) == "i-7"
    assert floating.get_instance_id_by_floating_address("203.0.113.5") is None
    with pytest.raises(FloatingIpNotFound):
        floating.get_instance_id_by_floating_address("192.0.2.1")
    with pytest.raises(FloatingIpNotFound):
        floating.get_instance_id_by_floating_address(associated[0], context=BOB)
