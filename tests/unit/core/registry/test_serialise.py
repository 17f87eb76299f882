"""Which claims take the lock row on which engine."""

from __future__ import annotations

from netservice.core.registry import claims, serialise

FIXED = claims.fixed_range("flat", 1, "10.0.0.0/24")
VPN = claims.vpn_endpoint("vlan", 1, "198.51.100.7", 1000)
BRIDGE = claims.bridge("flat", 1, "br100", shared=True)


def test_sqlite_never_locks_its_single_writer_is_enough():
    assert not serialise.needs_lock("sqlite", [FIXED, VPN, BRIDGE])


def test_postgresql_leaves_ranges_to_the_exclusion_constraint():
    assert not serialise.needs_lock("postgresql", [FIXED])
    assert serialise.needs_lock("postgresql", [FIXED, VPN])
    assert serialise.needs_lock("postgresql", [BRIDGE])


def test_mariadb_always_locks_and_reads_with_locks():
    assert serialise.needs_lock("mysql", [FIXED])
    assert serialise.locking_reads("mysql") and not serialise.locking_reads("postgresql")
