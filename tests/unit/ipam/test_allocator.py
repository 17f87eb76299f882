from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from netservice.core.db.model_base import utcnow
from netservice.core.exceptions import InvalidInput
from netservice.ipam import exceptions
from tests.unit.ipam.conftest import FixedIp, Network


def _allocate(db, allocator, network_id, **kw):
    with db.writer() as session:
        return allocator.allocate(session.connection(), network_id, **kw).address


def _rows(db):
    with db.writer() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(FixedIp))


def test_a_network_of_any_size_writes_the_same_rows(db, make_network):
    make_network("10.0.0.0/24")
    small = _rows(db)
    make_network("11.0.0.0/8", network_size=2**24)
    assert _rows(db) == 2 * small == 2 * 3  # network, gateway (= dhcp server), broadcast


def test_allocates_in_order_skipping_reserved(db, allocator, make_network):
    net = make_network("10.0.0.0/29")
    got = [_allocate(db, allocator, net) for _ in range(5)]
    assert got == ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]
    with pytest.raises(exceptions.NoMoreFixedIps):
        _allocate(db, allocator, net)


def test_reuses_the_longest_free_first(db, allocator, make_network):
    net = make_network("10.0.0.0/24")
    for _ in range(4):
        _allocate(db, allocator, net)
    with db.writer() as session:
        assert allocator.deallocate(session.connection(), net, "10.0.0.4", free_now=True)
    with db.writer() as session:
        assert allocator.deallocate(session.connection(), net, "10.0.0.2", free_now=True)
    assert _allocate(db, allocator, net) == "10.0.0.4"
    assert _allocate(db, allocator, net) == "10.0.0.2"
    assert _allocate(db, allocator, net) == "10.0.0.6"


def test_deallocate_is_idempotent(db, allocator, make_network):
    net = make_network()
    address = _allocate(db, allocator, net, instance_id="i-1")
    with db.writer() as session:
        assert allocator.deallocate(session.connection(), net, address, free_now=True)
        assert not allocator.deallocate(session.connection(), net, address, free_now=True)


def test_specific_address(db, allocator, make_network):
    net = make_network("10.0.0.0/24", allowed_end="10.0.0.200")
    assert _allocate(db, allocator, net, address="10.0.0.50") == "10.0.0.50"
    with pytest.raises(exceptions.FixedIpAlreadyInUse, match=r"10.0.0.50"):
        _allocate(db, allocator, net, address="10.0.0.50")
    with pytest.raises(exceptions.FixedIpAlreadyInUse, match=r"10.0.0.1"):
        _allocate(db, allocator, net, address="10.0.0.1")  # the gateway is reserved
    with pytest.raises(exceptions.FixedIpNotInNetwork, match=r"10.0.0.1-10.0.0.200"):
        _allocate(db, allocator, net, address="10.0.0.201")
    with pytest.raises(exceptions.FixedIpNotInNetwork):
        _allocate(db, allocator, net, address="192.168.0.5")


def test_the_cursor_skips_specifically_allocated_addresses(db, allocator, make_network):
    net = make_network("10.0.0.0/24")
    for value in range(3, 3 + 100):  # more than one gap-search batch
        _allocate(db, allocator, net, address=f"10.0.0.{value}")
    assert _allocate(db, allocator, net) == "10.0.0.2"
    assert _allocate(db, allocator, net) == "10.0.0.103"


def test_allowed_range_and_fixed_cidr_confine_allocation(db, allocator, make_network):
    # allowed_start moves the layout: .10 is the gateway, .11 dhcp_start.
    net = make_network("10.0.0.0/24", allowed_start="10.0.0.10", allowed_end="10.0.0.12")
    assert [_allocate(db, allocator, net) for _ in range(2)] == ["10.0.0.11", "10.0.0.12"]
    with pytest.raises(exceptions.NoMoreFixedIps):
        _allocate(db, allocator, net)
    # fixed_cidr's first two and last address are never handed out.
    net2 = make_network("10.1.0.0/24", fixed_cidr="10.1.0.64/29")
    assert [_allocate(db, allocator, net2) for _ in range(5)] == [
        "10.1.0.66",
        "10.1.0.67",
        "10.1.0.68",
        "10.1.0.69",
        "10.1.0.70",
    ]
    with pytest.raises(exceptions.NoMoreFixedIps):
        _allocate(db, allocator, net2)


def test_reserve_and_unreserve(db, allocator, make_network):
    net = make_network("10.0.0.0/29")
    with db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.2", True)
        allocator.set_reserved(session.connection(), net, "10.0.0.2", True)
    assert _allocate(db, allocator, net) == "10.0.0.3"
    with db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.2", False)
        allocator.set_reserved(session.connection(), net, "10.0.0.5", False)  # no row: no-op
    assert _allocate(db, allocator, net) == "10.0.0.2"  # free again, and freed longest ago
    with db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.1", False)  # the gateway
    assert _allocate(db, allocator, net) == "10.0.0.1"


def test_reserving_a_free_row_takes_it_off_the_free_list(db, allocator, make_network):
    net = make_network("10.0.0.0/29")
    address = _allocate(db, allocator, net)
    with db.writer() as session:
        allocator.deallocate(session.connection(), net, address, free_now=True)
        allocator.set_reserved(session.connection(), net, address, True)
    assert _allocate(db, allocator, net) == "10.0.0.3"
    with db.writer() as session:
        assert session.scalar(sa.select(Network.free_count)) == 0


def test_dhcp_deallocate_holds_until_release(db, allocator, make_network):
    net = make_network()
    address = _allocate(db, allocator, net, vnic_id="v1")
    with db.writer() as session:
        conn = session.connection()
        assert allocator.lease(conn, net, address) is True
        assert allocator.deallocate(conn, net, address, free_now=False)
    assert _allocate(db, allocator, net) != address  # still held
    with db.writer() as session:
        assert allocator.release(session.connection(), net, address, vnic_id="other") is False
        assert allocator.release(session.connection(), net, address, vnic_id="v1") is True
    with db.writer() as session:
        row = session.scalar(sa.select(FixedIp).where(FixedIp.address == address))
        assert (row.allocated, row.leased, row.vnic_id, row.freed_at is not None) == (
            False,
            False,
            None,
            True,
        )


def test_never_leased_address_is_freed_at_once(db, allocator, make_network):
    net = make_network()
    address = _allocate(db, allocator, net, vnic_id="v1")
    with db.writer() as session:
        allocator.deallocate(session.connection(), net, address, free_now=False)
    assert _allocate(db, allocator, net) == address


def test_release_of_an_allocated_address_only_clears_the_lease(db, allocator, make_network):
    net = make_network()
    address = _allocate(db, allocator, net, vnic_id="v1")
    with db.writer() as session:
        allocator.lease(session.connection(), net, address)
        assert allocator.release(session.connection(), net, address) is False
        assert allocator.lease(session.connection(), net, "10.0.0.77") is False  # no row


def test_free_expired_frees_held_addresses(db, allocator, make_network):
    net = make_network()
    address = _allocate(db, allocator, net, vnic_id="v1")
    with db.writer() as session:
        allocator.lease(session.connection(), net, address)
        allocator.deallocate(session.connection(), net, address, free_now=False)
    with db.writer() as session:
        past = utcnow() - datetime.timedelta(seconds=600)
        assert allocator.free_expired(session.connection(), net, past) == 0
        future = utcnow() + datetime.timedelta(seconds=1)
        assert allocator.free_expired(session.connection(), net, future) == 1
    assert _allocate(db, allocator, net) == address


def test_unknown_network(db, allocator):
    with pytest.raises(exceptions.NetworkNotFound), db.writer() as session:
        allocator.allocate(session.connection(), 42)


def test_delete_rows_and_count(db, allocator, make_network):
    net = make_network()
    _allocate(db, allocator, net)
    with db.writer() as session:
        assert allocator.count_allocated(session.connection(), net) == 1
        assert allocator.delete_network_rows(session.connection(), net) == 4


def test_a_reserved_address_is_taken_on_purpose_and_stays_reserved(db, allocator, make_network):
    net = make_network("10.0.0.0/24")
    with db.writer() as session:
        allocator.set_reserved(session.connection(), net, "10.0.0.9", True)
    with pytest.raises(exceptions.FixedIpAlreadyInUse):
        _allocate(db, allocator, net, address="10.0.0.9")
    got = _allocate(db, allocator, net, address="10.0.0.9", reserved=True, vnic_id="v-1")
    assert got == "10.0.0.9"
    with pytest.raises(exceptions.FixedIpAlreadyInUse):  # held: nobody else gets it
        _allocate(db, allocator, net, address="10.0.0.9", reserved=True, vnic_id="v-2")
    with db.writer() as session:
        assert allocator.deallocate(session.connection(), net, "10.0.0.9", free_now=False)
    with db.writer() as session:
        row = session.scalars(sa.select(FixedIp).where(FixedIp.address == "10.0.0.9")).one()
    assert (row.reserved, row.allocated, row.vnic_id, row.freed_at) == (True, False, None, None)
    assert _allocate(db, allocator, net) == "10.0.0.2"  # never handed out as free


def test_reserved_allocation_needs_a_reserved_address(db, allocator, make_network):
    net = make_network("10.0.0.0/24")
    with pytest.raises(InvalidInput, match="not a reserved address"):
        _allocate(db, allocator, net, address="10.0.0.7", reserved=True)
    with pytest.raises(ValueError, match="needs the address"):
        _allocate(db, allocator, net, reserved=True)


def test_for_models_takes_the_models_tables():
    from netservice.ipam.allocator import Allocator

    allocator = Allocator.for_models(Network, FixedIp)
    assert (allocator.networks, allocator.fixed_ips) == (Network.__table__, FixedIp.__table__)


def test_for_models_refuses_a_model_not_mapped_to_a_table():
    from netservice.ipam.allocator import Allocator

    class OnASubquery:
        __table__ = sa.select(Network.__table__.c.id).subquery()

    with pytest.raises(TypeError, match="OnASubquery is not mapped to a table"):
        Allocator.for_models(OnASubquery, FixedIp)
