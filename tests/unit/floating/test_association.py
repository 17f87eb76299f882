from __future__ import annotations

import pytest

from netservice.core.wsgi.faults import status_for
from netservice.floating.exceptions import (
    CannotAffectAutoAssigned,
    FixedIpNotAllocated,
    FloatingIpNotAllocated,
    FloatingIpNotAssociated,
    FloatingIpNotFound,
    FloatingIpPoolNotFound,
    NoMoreFloatingIps,
)
from netservice.ipam.exceptions import FixedIpNotFound
from tests.unit.floating import schema
from tests.unit.floating.conftest import ADMIN, ALICE, BOB


class Recorder:
    """A data plane stand-in: records calls, or fails them."""

    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail

    def __call__(self, *args):
        self.calls.append(args)
        if self.fail is not None:
            raise self.fail


@pytest.fixture
def held(floating, pool):
    return floating.allocate(ALICE).address


# --- associate -----------------------------------------------------------------------


def test_associate_binds_records_and_wakes_the_network(floating, held, fixed, changes):
    fixed_address = fixed("i-1")
    bind = Recorder()
    done = floating.associate(ALICE, held, fixed_address, "net-host", bind=bind)
    assert (done.floating_address, done.fixed_address) == (held, fixed_address)
    assert (done.previous_fixed_address, done.changed, done.host) == (None, True, "net-host")
    assert bind.calls == [(held, fixed_address, None)]
    assert [c.network_id for c in changes()] == ["1"]
    record = floating.get_floating_ip_by_address(held)
    assert (record.fixed_address, record.instance_id, record.host) == (
        fixed_address,
        "i-1",
        "net-host",
    )
    assert record.network_id == 1


def test_associating_again_with_the_same_fixed_ip_does_nothing(floating, held, fixed, changes):
    fixed_address = fixed()
    floating.associate(ALICE, held, fixed_address, "net-host")
    changes()
    bind = Recorder()
    done = floating.associate(ALICE, held, fixed_address, "other-host", bind=bind)
    assert (done.changed, done.previous_fixed_address, done.host) == (False, None, "net-host")
    assert bind.calls == [] and changes() == []


def test_associating_elsewhere_moves_it_and_names_the_previous_fixed_ip(
    db, floating, held, fixed, changes
):
    other_network = schema.make_network(db, "10.1.0.0/24")
    first, second = fixed("i-1"), fixed("i-2", network_id=other_network)
    floating.associate(ALICE, held, first, "net-host")
    changes()
    bind = Recorder()
    done = floating.associate(ALICE, held, second, "net-host", bind=bind)
    assert (done.previous_fixed_address, done.changed) == (first, True)
    assert bind.calls == [(held, second, first)]
    assert sorted(c.network_id for c in changes()) == ["1", str(other_network)]
    assert floating.get_floating_ips_by_fixed_address(first) == []
    assert floating.get_floating_ips_by_fixed_address(second) == [held]


def test_a_failing_bind_rolls_the_association_back(db, floating, held, fixed, changes):
    fixed_address = fixed()
    before = schema.floating_rows(db)
    with pytest.raises(OSError, match="no such device"):
        floating.associate(
            ALICE, held, fixed_address, "net-host", bind=Recorder(OSError("no such device"))
        )
    assert schema.floating_rows(db) == before
    assert changes() == []


def test_associating_another_projects_address_is_not_found(db, floating, held, fixed):
    fixed_address = fixed()
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpNotFound) as caught:
        floating.associate(BOB, held, fixed_address, "net-host")
    assert held in caught.value.message
    assert status_for(caught.value) == 404
    assert schema.floating_rows(db) == before


def test_associating_a_free_address_is_not_found_for_a_project(floating, pool, fixed):
    with pytest.raises(FloatingIpNotFound):
        floating.associate(ALICE, "203.0.113.6", fixed(), "net-host")


def test_an_admin_cannot_associate_an_unallocated_address(db, floating, pool, fixed):
    fixed_address = fixed()
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpNotAllocated) as caught:
        floating.associate(ADMIN, "203.0.113.6", fixed_address, "net-host")
    assert "203.0.113.6" in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


def test_an_admin_may_associate_a_projects_address(floating, held, fixed):
    assert floating.associate(ADMIN, held, fixed(), "net-host").changed


def test_associating_an_auto_assigned_address_needs_the_flag(db, floating, pool, fixed):
    auto = floating.allocate(ALICE, auto_assigned=True).address
    fixed_address = fixed()
    before = schema.floating_rows(db)
    with pytest.raises(CannotAffectAutoAssigned) as caught:
        floating.associate(ALICE, auto, fixed_address, "net-host")
    assert auto in caught.value.message and "associated" in caught.value.message
    assert status_for(caught.value) == 403
    assert schema.floating_rows(db) == before
    done = floating.associate(ALICE, auto, fixed_address, "net-host", affect_auto_assigned=True)
    assert done.changed


def test_associating_with_an_unknown_fixed_ip_is_not_found(db, floating, held, network):
    before = schema.floating_rows(db)
    with pytest.raises(FixedIpNotFound) as caught:
        floating.associate(ALICE, held, "10.0.0.77", "net-host")
    assert "10.0.0.77" in caught.value.message
    assert status_for(caught.value) == 404
    assert schema.floating_rows(db) == before


def test_associating_with_a_deallocated_fixed_ip_is_refused(db, floating, held, fixed, network):
    fixed_address = fixed()
    schema.deallocate_fixed(db, network, fixed_address)
    before = schema.floating_rows(db)
    with pytest.raises(FixedIpNotAllocated) as caught:
        floating.associate(ALICE, held, fixed_address, "net-host")
    assert fixed_address in caught.value.message and held in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


# --- disassociate --------------------------------------------------------------------


def test_disassociate_unbinds_and_wakes_the_network(floating, held, fixed, changes):
    fixed_address = fixed()
    floating.associate(ALICE, held, fixed_address, "net-host")
    changes()
    unbind = Recorder()
    assert floating.disassociate(ALICE, held, unbind=unbind) == fixed_address
    assert unbind.calls == [(held, fixed_address)]
    assert [c.network_id for c in changes()] == ["1"]
    record = floating.get_floating_ip_by_address(held)
    assert (record.project_id, record.fixed_address, record.host) == ("alice", None, None)


def test_disassociating_a_free_standing_address_is_refused(db, floating, held):
    before = schema.floating_rows(db)
    with pytest.raises(FloatingIpNotAssociated) as caught:
        floating.disassociate(ALICE, held)
    assert held in caught.value.message
    assert status_for(caught.value) == 409
    assert schema.floating_rows(db) == before


def test_disassociating_another_projects_address_is_not_found(floating, held, fixed):
    floating.associate(ALICE, held, fixed(), "net-host")
    with pytest.raises(FloatingIpNotFound):
        floating.disassociate(BOB, held)


def test_disassociating_an_auto_assigned_address_is_refused(db, floating, pool, fixed):
    done = floating.auto_assign_floating_ip(ALICE, fixed())
    before = schema.floating_rows(db)
    with pytest.raises(CannotAffectAutoAssigned) as caught:
        floating.disassociate(ALICE, done.floating_address)
    assert "disassociated" in caught.value.message
    assert schema.floating_rows(db) == before
    floating.disassociate(ALICE, done.floating_address, affect_auto_assigned=True)


def test_a_failing_unbind_rolls_the_disassociation_back(db, floating, held, fixed, changes):
    floating.associate(ALICE, held, fixed(), "net-host")
    before = schema.floating_rows(db)
    changes()
    with pytest.raises(RuntimeError):
        floating.disassociate(ALICE, held, unbind=Recorder(RuntimeError("nft failed")))
    assert schema.floating_rows(db) == before
    assert changes() == []


# --- auto-assign and release ---------------------------------------------------------


def test_auto_assign_allocates_and_associates_in_one_go(make_floating, pool, fixed, changes):
    floating = make_floating(quota=0)  # exempt from the quota
    fixed_address = fixed("i-9")
    bind = Recorder()
    done = floating.auto_assign_floating_ip(ALICE, fixed_address, host="net-host", bind=bind)
    assert (done.floating_address, done.changed) == ("203.0.113.1", True)
    assert bind.calls == [("203.0.113.1", fixed_address, None)]
    assert [c.network_id for c in changes()] == ["1"]
    record = floating.get_floating_ip_by_address("203.0.113.1")
    assert (record.project_id, record.auto_assigned, record.instance_id) == ("alice", True, "i-9")


def test_auto_assign_is_idempotent(floating, pool, fixed):
    fixed_address = fixed()
    first = floating.auto_assign_floating_ip(ALICE, fixed_address)
    again = floating.auto_assign_floating_ip(ALICE, fixed_address)
    assert (again.floating_address, again.changed) == (first.floating_address, False)
    assert len(floating.get_floating_ips_by_project("alice")) == 1


def test_auto_assign_from_a_named_pool_for_a_project(floating, pool, fixed):
    done = floating.auto_assign_floating_ip(ADMIN, fixed(), "other", project_id="alice")
    assert done.floating_address == "198.51.100.1"
    assert floating.get_floating_ips_by_project("alice")[0].auto_assigned


def test_auto_assign_errors_write_nothing(db, floating, pool, fixed, network):
    before = schema.floating_rows(db)
    with pytest.raises(FixedIpNotFound):
        floating.auto_assign_floating_ip(ALICE, "10.0.0.99")
    with pytest.raises(FloatingIpPoolNotFound):
        floating.auto_assign_floating_ip(ALICE, fixed(), "nope")
    assert schema.floating_rows(db) == before
    floating.allocate(BOB, pool="other")
    floating.allocate(BOB, pool="other")
    before = schema.floating_rows(db)
    with pytest.raises(NoMoreFloatingIps):
        floating.auto_assign_floating_ip(ALICE, fixed("i-2"), "other")
    with pytest.raises(RuntimeError):
        floating.auto_assign_floating_ip(ALICE, fixed("i-3"), bind=Recorder(RuntimeError("x")))
    assert schema.floating_rows(db) == before


def test_release_frees_auto_assigned_and_keeps_allocated_ones(floating, pool, fixed, changes):
    first, second = fixed("i-1"), fixed("i-1")
    auto = floating.auto_assign_floating_ip(ALICE, first).floating_address
    manual = floating.allocate(ALICE).address
    floating.associate(ALICE, manual, second, "net-host")
    changes()
    unbind = Recorder()
    released = floating.release_for_instance([first, second], unbind=unbind)
    assert sorted((b.floating_address, b.fixed_address) for b in released) == sorted(
        [(auto, first), (manual, second)]
    )
    assert sorted(unbind.calls) == sorted([(auto, first), (manual, second)])
    assert [c.network_id for c in changes()] == ["1"]  # once per network
    assert floating.get_floating_ip_by_address(auto).project_id is None
    kept = floating.get_floating_ip_by_address(manual)
    assert (kept.project_id, kept.fixed_address) == ("alice", None)
    assert floating.release_for_instance([first, second]) == []


def test_release_in_the_callers_transaction(db, floating, pool, fixed, network):
    fixed_address = fixed()
    auto = floating.auto_assign_floating_ip(ALICE, fixed_address).floating_address
    with pytest.raises(RuntimeError), db.writer() as session:
        floating.release_for_instance([fixed_address], session=session)
        raise RuntimeError("the caller's deallocation failed")
    assert floating.get_floating_ip_by_address(auto).fixed_address == fixed_address
    with db.writer() as session:
        floating.release_for_instance([fixed_address], session=session)
        schema.allocator().deallocate(session.connection(), network, fixed_address, free_now=True)
    assert floating.get_floating_ip_by_address(auto).project_id is None


def test_release_of_unknown_or_no_fixed_ips_does_nothing(floating, pool):
    assert floating.release_for_instance([]) == []
    assert floating.release_for_instance(["10.9.9.9"]) == []
