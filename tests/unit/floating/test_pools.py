from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.wsgi.faults import status_for
from netservice.floating.exceptions import (
    FloatingIpExists,
    FloatingIpNotFound,
    FloatingIpRangeInUse,
    FloatingIpRangeTooSmall,
)
from netservice.floating.pools import pool_name
from tests.unit.floating import schema
from tests.unit.floating.conftest import ALICE, BOB


def _addresses(records):
    return [r.address for r in records]


# --- create --------------------------------------------------------------------------


def test_create_a_cidr_writes_its_hosts_in_the_default_pool(floating):
    assert floating.create_range("203.0.113.0/29", interface="eth1") == 6
    listed = floating.list()
    assert _addresses(listed) == [f"203.0.113.{i}" for i in range(1, 7)]
    assert {(r.pool, r.interface, r.project_id, r.host) for r in listed} == {
        ("nova", "eth1", None, None)
    }


def test_create_one_address_in_a_named_pool(floating):
    assert floating.create_range("198.51.100.9", pool="public") == 1
    (record,) = floating.list()
    assert (record.address, record.pool, record.interface) == ("198.51.100.9", "public", None)


def test_an_empty_pool_name_means_the_default(floating):
    floating.create_range("198.51.100.9", pool="")
    assert floating.get_floating_ip_pools() == ["nova"]


def test_a_range_below_four_addresses_writes_nothing(db, floating):
    with pytest.raises(FloatingIpRangeTooSmall):
        floating.create_range("203.0.113.0/31")
    assert schema.floating_rows(db) == []


def test_a_duplicate_is_refused_and_nothing_of_the_range_is_written(db, floating):
    floating.create_range("203.0.113.5")
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpExists) as caught:
        floating.create_range("203.0.113.0/29")
    assert "203.0.113.5" in caught.value.message and "nova" in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


def test_a_duplicate_in_another_pool_is_still_a_duplicate(floating):
    floating.create_range("203.0.113.5", pool="a")
    with pytest.raises(FloatingIpExists):
        floating.create_range("203.0.113.5", pool="b")


def test_a_bad_interface_or_pool_name_is_invalid_input(db, floating):
    with pytest.raises(exceptions.InvalidInput, match="interface"):
        floating.create_range("203.0.113.5", interface="no such/if")
    with pytest.raises(exceptions.InvalidInput, match="pool"):
        floating.create_range("203.0.113.5", pool="p" * 256)
    assert schema.floating_rows(db) == []


def test_pool_name_defaults():
    assert pool_name(None) == "nova"
    assert pool_name("  ", default="public") == "public"
    assert pool_name(" x ") == "x"


def test_a_large_range_is_written_in_batches(floating, monkeypatch):
    monkeypatch.setattr("netservice.floating.pools.INSERT_BATCH", 100)
    assert floating.create_range("10.8.0.0/22") == 1022
    assert len(floating.list()) == 1022


# --- delete --------------------------------------------------------------------------


def test_delete_a_free_range(floating, pool):
    assert floating.delete_range("203.0.113.0/29") == 6
    assert _addresses(floating.list()) == ["198.51.100.1", "198.51.100.2"]


def test_a_deleted_range_can_be_created_again(floating, pool):
    floating.delete_range("203.0.113.0/29")
    assert floating.create_range("203.0.113.0/29") == 6


def test_delete_skips_missing_addresses_and_refuses_an_empty_range(floating, pool):
    assert floating.delete_range("198.51.100.0/30") == 2
    with pytest.raises(FloatingIpNotFound) as caught:
        floating.delete_range("192.0.2.0/24")
    assert "192.0.2.0/24" in caught.value.message


def test_delete_is_refused_while_a_project_holds_an_address(db, floating, pool):
    held = floating.allocate(ALICE, pool="nova")
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpRangeInUse) as caught:
        floating.delete_range("203.0.113.0/29")
    message = caught.value.message
    assert held.address in message and "alice" in message and "force" in message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


def test_forced_delete_drops_bindings_and_wakes_their_network(floating, pool, fixed, changes):
    held = floating.allocate(ALICE)
    fixed_address = fixed()
    floating.associate(ALICE, held.address, fixed_address, "net-host")
    floating.allocate(BOB)
    changes()
    unbound = []
    deleted = floating.delete_range(
        "203.0.113.0/29", force=True, unbind=lambda f, x: unbound.append((f, x))
    )
    assert deleted == 6
    assert unbound == [(held.address, fixed_address)]
    assert [c.network_id for c in changes()] == ["1"]
    assert floating.get_floating_ips_by_project("alice") == []
    assert floating.usage("bob") == 0  # the quota is given back


def test_a_failing_unbind_leaves_the_forced_delete_undone(db, floating, pool, fixed, changes):
    held = floating.allocate(ALICE)
    floating.associate(ALICE, held.address, fixed(), "net-host")
    before = schema.floating_rows(db)
    changes()

    def fail(_f, _x):
        raise RuntimeError("public interface is gone")

    with pytest.raises(RuntimeError):
        floating.delete_range("203.0.113.0/29", force=True, unbind=fail)
    assert schema.floating_rows(db) == before
    assert changes() == []


# --- list ----------------------------------------------------------------------------


def test_list_shows_project_instance_pool_and_interface(floating, pool, fixed):
    held = floating.allocate(ALICE)
    floating.associate(ALICE, held.address, fixed("i-42"), "net-host")
    first = floating.list()[2]
    assert (first.project_id, first.address, first.instance_id, first.pool) == (
        "alice",
        "203.0.113.1",
        "i-42",
        "nova",
    )
    assert floating.list(host="net-host") == [first]
    assert floating.list(host="elsewhere") == []


def test_list_allocated_or_free_ones(floating, pool):
    held = floating.allocate(ALICE).address
    assert _addresses(floating.list(allocated=True)) == [held]
    assert held not in _addresses(floating.list(allocated=False))
    assert len(floating.list(allocated=False)) == 7


def test_list_by_pool_and_in_pages(floating, pool):
    assert _addresses(floating.list(pool="other")) == ["198.51.100.1", "198.51.100.2"]
    page = floating.list(limit=3)
    assert _addresses(page) == ["198.51.100.1", "198.51.100.2", "203.0.113.1"]
    following = floating.list(limit=3, marker=page[-1].address)
    assert _addresses(following) == ["203.0.113.2", "203.0.113.3", "203.0.113.4"]
