"""dnsmasq's lease callbacks: lease, release, init, and the events they ignore."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from netservice.dhcp.leases import DhcpLeaseCallbacks
from netservice.ipam.allocator import Allocator
from netservice.linux import dnsmasq_script
from tests.unit.dhcp import fakes

MAC, OTHER = "fa:16:3e:00:00:01", "fa:16:3e:00:00:09"


@pytest.fixture
def db(tmp_path):
    database = fakes.database(tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def net(db):
    return fakes.add_network(db)


@pytest.fixture
def callbacks(db):
    allocator = Allocator(fakes.Net.__table__, fakes.Ip.__table__)
    return DhcpLeaseCallbacks(db, fakes.TABLES, allocator, lease_time=120)


def row(db, net, address):
    with db.writer() as session:
        return session.scalar(
            sa.select(fakes.Ip).where(fakes.Ip.network_id == net, fakes.Ip.address == address)
        )


def test_lease_then_release_of_an_allocated_address(db, net, callbacks):
    fakes.set_ip(db, net, "10.0.0.2", fakes.add_vnic(db, net, MAC))
    callbacks.lease(str(net), MAC.upper(), "10.0.0.2", "vm-1")
    assert row(db, net, "10.0.0.2").leased
    [lease] = callbacks.leases(str(net))
    assert (lease.mac, lease.ip, lease.hostname) == (MAC, "10.0.0.2", "vm-1")
    line = dnsmasq_script.lease_file_line(lease.expiry, lease.mac, lease.ip, lease.hostname)
    assert line.endswith(f" {MAC} 10.0.0.2 vm-1 *")
    callbacks.release(str(net), MAC, "10.0.0.2")
    released = row(db, net, "10.0.0.2")
    assert not released.leased and released.allocated  # still the instance's
    assert callbacks.leases(str(net)) == []


def test_release_frees_a_deallocated_address(db, net, callbacks):
    vnic = fakes.add_vnic(db, net, MAC)
    fakes.set_ip(db, net, "10.0.0.2", vnic, allocated=False, leased=True)
    callbacks.release(str(net), MAC, "10.0.0.2")
    freed = row(db, net, "10.0.0.2")
    assert not freed.leased and freed.vnic_id is None and freed.freed_at is not None


def test_a_release_for_an_address_now_owned_by_another_vnic_is_ignored(db, net, callbacks, caplog):
    fakes.set_ip(db, net, "10.0.0.2", fakes.add_vnic(db, net, OTHER), allocated=False, leased=True)
    with caplog.at_level(logging.INFO):
        callbacks.release(str(net), MAC, "10.0.0.2")
    assert row(db, net, "10.0.0.2").leased
    assert "now belongs to" in caplog.text


def test_a_lease_of_an_unallocated_address_is_recorded_with_a_warning(db, net, callbacks, caplog):
    fakes.set_ip(db, net, "10.0.0.2", fakes.add_vnic(db, net, MAC), allocated=False)
    callbacks.lease(str(net), MAC, "10.0.0.2", None)
    assert row(db, net, "10.0.0.2").leased
    assert "which is not allocated" in caplog.text


@pytest.mark.parametrize(
    ("network", "ip", "expected"),
    [("1", "10.0.0.77", "no such fixed IP"), ("x1", "10.0.0.2", "malformed network id")],
)
def test_unknown_events_are_logged_never_raised(net, callbacks, caplog, network, ip, expected):
    callbacks.lease(network, MAC, ip, None)
    callbacks.release(network, MAC, ip)
    assert expected in caplog.text
