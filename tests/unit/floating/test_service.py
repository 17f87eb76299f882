"""The facade: one object with nova's floating IP calls, delegating to the modules."""

from __future__ import annotations

import inspect

import pytest

from netservice.floating.allocation import FloatingAllocations
from netservice.floating.association import FloatingAssociations
from netservice.floating.hosts import FloatingHosts
from netservice.floating.lookups import FloatingLookups
from netservice.floating.pools import FloatingRanges
from netservice.floating.service import FloatingIps
from tests.unit.floating import schema
from tests.unit.floating.conftest import ALICE

COMPONENTS = [
    FloatingRanges,
    FloatingAllocations,
    FloatingAssociations,
    FloatingHosts,
    FloatingLookups,
]


# Building blocks for the modules and tests, not calls a plugin makes.
NOT_ON_FACADE = {"claim", "first_free_query", "quota_for"}


def _public(cls):
    return {
        name: member
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_") and name not in NOT_ON_FACADE
    }


def test_every_component_call_is_on_the_facade_with_the_same_signature():
    facade = _public(FloatingIps)
    for component in COMPONENTS:
        for name, member in _public(component).items():
            assert name in facade, f"{component.__name__}.{name} is not on FloatingIps"
            assert inspect.signature(facade[name]) == inspect.signature(member), name


def test_a_whole_life_cycle_through_the_facade(db, make_floating, fixed, changes):
    floating = make_floating(quota=1, default_pool="public")
    floating.create_range("203.0.113.0/30", interface="eth1")
    assert floating.get_floating_ip_pools() == ["public"]
    address = floating.allocate(ALICE).address
    fixed_address = fixed("i-1")
    floating.associate(ALICE, address, fixed_address, "net-host")
    assert floating.bound_on_host("net-host") == [(address, fixed_address, "eth1")]
    assert floating.get_instance_id_by_floating_address(address) == "i-1"
    assert floating.disassociate(ALICE, address) == fixed_address
    assert floating.deallocate(ALICE, address)
    assert floating.usage("alice") == 0
    assert floating.delete_range("203.0.113.0/30") == 2
    assert [c.network_id for c in changes()] == ["1", "1"]
    assert schema.floating_rows(db)  # soft-deleted rows remain


def test_construction_without_a_notifier(db):
    floating = FloatingIps(db, schema.FloatingIp, schema.FixedIp, quota=10)
    assert floating.create_range("192.0.2.1") == 1


@pytest.mark.parametrize("name", ["allocate", "associate", "disassociate", "deallocate"])
def test_the_nova_calls_take_the_context_first(name):
    params = list(inspect.signature(getattr(FloatingIps, name)).parameters)
    assert params[:2] == ["self", "context"]
