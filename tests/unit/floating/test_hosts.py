from __future__ import annotations

import pytest

from netservice.floating.store import BoundFloatingIp
from tests.unit.floating import schema
from tests.unit.floating.conftest import ALICE, BOB


@pytest.fixture
def bound(floating, pool, fixed):
    """Two of alice's floating IPs on instance i-1's fixed IPs, NATed on host-a."""
    pairs = []
    for _ in range(2):
        address = floating.allocate(ALICE).address
        fixed_address = fixed("i-1")
        floating.associate(ALICE, address, fixed_address, "host-a")
        pairs.append((address, fixed_address))
    return pairs


def test_migration_moves_the_binding_in_two_steps(floating, bound, changes):
    addresses = [f for f, _ in bound]
    changes()
    unbound = []
    moved = floating.migrate_instance_start(
        ALICE,
        addresses,
        "host-a",
        "host-b",
        instance_id="i-1",
        unbind=lambda *a: unbound.append(a),
    )
    assert [(b.floating_address, b.fixed_address) for b in moved] == bound
    assert unbound == bound
    assert floating.bound_on_host("host-a") == []
    assert [c.network_id for c in changes()] == ["1"]  # once per network
    rebound = []
    moved = floating.migrate_instance_finish(
        ALICE, addresses, "host-b", "host-a", instance_id="i-1", bind=lambda *a: rebound.append(a)
    )
    assert len(moved) == 2
    assert rebound == [(f, x, None) for f, x in bound]
    assert [
        (b.floating_address, b.fixed_address) for b in floating.bound_on_host("host-b")
    ] == bound
    assert floating.get_floating_ip_by_address(addresses[0]).host == "host-b"


def test_migration_on_one_host_does_nothing(floating, bound):
    assert floating.migrate_instance_start(ALICE, [bound[0][0]], "host-a", "host-a") == []
    assert floating.migrate_instance_finish(ALICE, [bound[0][0]], "host-a", "host-a") == []
    assert floating.migrate_instance_start(ALICE, [], "host-a", "host-b") == []
    assert len(floating.bound_on_host("host-a")) == 2


def test_migration_skips_stale_addresses(floating, bound, pool):
    free = floating.allocate(ALICE).address  # not associated
    stale = [free, "192.0.2.1", bound[0][0]]
    assert floating.migrate_instance_start(BOB, stale, "host-a") == []  # not bob's
    assert floating.migrate_instance_start(ALICE, stale, "host-a", instance_id="i-other") == []
    moved = floating.migrate_instance_start(ALICE, stale, "host-a", instance_id="i-1")
    assert [b.floating_address for b in moved] == [bound[0][0]]


def test_migration_is_idempotent(floating, bound):
    addresses = [f for f, _ in bound]
    floating.migrate_instance_finish(ALICE, addresses, "host-b")
    again = floating.migrate_instance_finish(ALICE, addresses, "host-b")
    assert len(again) == 2
    assert len(floating.bound_on_host("host-b")) == 2


def test_a_failing_bind_leaves_the_migration_undone(db, floating, bound):
    before = schema.floating_rows(db)

    def fail(*_args):
        raise RuntimeError("no public interface on host-b")

    with pytest.raises(RuntimeError):
        floating.migrate_instance_finish(ALICE, [bound[0][0]], "host-b", bind=fail)
    assert schema.floating_rows(db) == before


def test_bound_on_host_gives_triples_for_init_host(db, floating, pool, fixed):
    floating.create_range("192.0.2.10", pool="edge", interface="eth2")
    other_network = schema.make_network(db, "10.1.0.0/24")
    edge = floating.allocate(ALICE, pool="edge").address
    plain = floating.allocate(ALICE).address
    here = fixed("i-1")
    there = fixed("i-2", network_id=other_network)
    floating.associate(ALICE, edge, here, "host-a")
    floating.associate(ALICE, plain, there, "host-a")
    floating.allocate(ALICE)  # allocated, not bound: not listed
    assert floating.bound_on_host("host-a") == [
        BoundFloatingIp(edge, here, "eth2"),
        BoundFloatingIp(plain, there, None),
    ]
    assert floating.bound_on_host("host-a", network_id=other_network) == [
        BoundFloatingIp(plain, there, None)
    ]
    floating_address, fixed_address, interface = floating.bound_on_host("host-a")[0]
    assert (floating_address, fixed_address, interface) == (edge, here, "eth2")
