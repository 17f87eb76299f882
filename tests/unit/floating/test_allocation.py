from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.wsgi.faults import status_for
from netservice.floating.allocation import owner_of
from netservice.floating.exceptions import (
    CannotAffectAutoAssigned,
    FloatingIpAssociated,
    FloatingIpNotFound,
    FloatingIpPoolNotFound,
    FloatingIpQuotaExceeded,
    NoMoreFloatingIps,
)
from tests.unit.floating import schema
from tests.unit.floating.conftest import ADMIN, ALICE, BOB

# --- allocate ------------------------------------------------------------------------


def test_allocate_takes_the_first_free_address_of_the_pool(floating, pool):
    got = [floating.allocate(ALICE).address for _ in range(3)]
    assert got == ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    record = floating.get_floating_ip_by_address("203.0.113.1")
    assert (record.project_id, record.auto_assigned, record.fixed_address) == (
        "alice",
        False,
        None,
    )


def test_a_deallocated_address_is_first_again(floating, pool):
    for _ in range(3):
        floating.allocate(ALICE)
    floating.deallocate(ALICE, "203.0.113.2")
    assert floating.allocate(BOB).address == "203.0.113.2"


def test_allocate_from_a_named_pool(floating, pool):
    assert floating.allocate(ALICE, pool="other").address == "198.51.100.1"


def test_an_admin_allocates_for_any_project(floating, pool):
    assert floating.allocate(ADMIN, "carol").project_id == "carol"


def test_a_project_cannot_allocate_for_another(db, floating, pool):
    before = schema.floating_rows(db)
    with pytest.raises(exceptions.Forbidden):
        floating.allocate(ALICE, "bob")
    with pytest.raises(exceptions.NotAuthorized):
        owner_of(RequestContext(None), None)
    assert schema.floating_rows(db) == before


def test_an_unknown_pool_is_not_found(db, floating, pool):
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpPoolNotFound) as caught:
        floating.allocate(ALICE, pool="nope")
    assert "nope" in caught.value.message
    assert status_for(caught.value) == 404
    assert schema.floating_rows(db) == before


def test_a_pool_with_no_address_yet_is_not_found(floating):
    with pytest.raises(FloatingIpPoolNotFound):
        floating.allocate(ALICE)


def test_an_empty_pool_is_no_more_floating_ips(db, floating, pool):
    floating.allocate(ALICE, pool="other")
    floating.allocate(BOB, pool="other")
    before = schema.floating_rows(db)
    with pytest.raises(NoMoreFloatingIps) as caught:
        floating.allocate(ALICE, pool="other")
    assert "other" in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


def test_the_quota_is_enforced_per_project(db, make_floating, pool):
    floating = make_floating(quota=2)
    floating.allocate(ALICE)
    floating.allocate(ALICE)
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpQuotaExceeded) as caught:
        floating.allocate(ALICE)
    assert "alice" in caught.value.message and "2" in caught.value.message
    assert status_for(caught.value) == 413
    assert isinstance(caught.value, exceptions.QuotaExceeded)
    assert schema.floating_rows(db) == before
    assert floating.allocate(BOB).project_id == "bob"


@pytest.mark.parametrize("quota", [-1, -5])
def test_a_negative_quota_is_unlimited(make_floating, pool, quota):
    floating = make_floating(quota=quota)
    assert len([floating.allocate(ALICE) for _ in range(6)]) == 6


def test_a_quota_of_zero_allows_none(make_floating, pool):
    with pytest.raises(FloatingIpQuotaExceeded):
        make_floating(quota=0).allocate(ALICE)


def test_the_quota_may_depend_on_the_project(make_floating, pool):
    floating = make_floating(quota=lambda project: {"alice": 1}.get(project, 3))
    floating.allocate(ALICE)
    with pytest.raises(FloatingIpQuotaExceeded):
        floating.allocate(ALICE)
    assert len([floating.allocate(BOB) for _ in range(3)]) == 3


def test_auto_assigned_addresses_are_exempt_from_the_quota(make_floating, pool):
    floating = make_floating(quota=1)
    floating.allocate(ALICE, auto_assigned=True)
    floating.allocate(ALICE, auto_assigned=True)
    assert floating.usage("alice") == 0
    floating.allocate(ALICE)
    assert floating.usage("alice") == 1


def test_allocation_wakes_no_reconciler(floating, pool, changes):
    floating.allocate(ALICE)
    assert changes() == []


# --- deallocate ----------------------------------------------------------------------


def test_deallocate_gives_the_quota_back(make_floating, pool):
    floating = make_floating(quota=1)
    held = floating.allocate(ALICE)
    assert floating.deallocate(ALICE, held.address) is True
    assert floating.usage("alice") == 0
    record = floating.get_floating_ip_by_address(held.address)
    assert (record.project_id, record.host, record.auto_assigned) == (None, None, False)
    assert floating.allocate(ALICE).address == held.address


def test_deallocating_another_projects_address_is_not_found(db, floating, pool):
    held = floating.allocate(ALICE)
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpNotFound) as caught:
        floating.deallocate(BOB, held.address)
    assert held.address in caught.value.message
    assert status_for(caught.value) == 404
    assert schema.floating_rows(db) == before


def test_a_project_deallocating_twice_gets_not_found(floating, pool):
    held = floating.allocate(ALICE)
    floating.deallocate(ALICE, held.address)
    with pytest.raises(FloatingIpNotFound):
        floating.deallocate(ALICE, held.address)


def test_an_admin_deallocating_a_free_address_is_a_no_op(floating, pool):
    assert floating.deallocate(ADMIN, "203.0.113.4") is False


def test_deallocating_an_unknown_address_is_not_found(floating, pool):
    with pytest.raises(FloatingIpNotFound):
        floating.deallocate(ADMIN, "192.0.2.1")
    with pytest.raises(exceptions.InvalidInput, match="floating_address"):
        floating.deallocate(ADMIN, "not-an-ip")


def test_deallocating_an_associated_address_is_refused(db, floating, pool, fixed):
    held = floating.allocate(ALICE)
    fixed_address = fixed()
    floating.associate(ALICE, held.address, fixed_address, "net-host")
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpAssociated) as caught:
        floating.deallocate(ALICE, held.address)
    assert held.address in caught.value.message and fixed_address in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before
    assert floating.usage("alice") == 1


def test_an_auto_assigned_address_is_deallocated_only_with_the_flag(db, floating, pool):
    held = floating.allocate(ALICE, auto_assigned=True)
    before = schema.floating_rows(db)
    with pytest.raises(CannotAffectAutoAssigned) as caught:
        floating.deallocate(ALICE, held.address)
    assert held.address in caught.value.message and "deallocated" in caught.value.message
    assert status_for(caught.value) == 403
    assert schema.floating_rows(db) == before
    assert floating.deallocate(ALICE, held.address, affect_auto_assigned=True)
