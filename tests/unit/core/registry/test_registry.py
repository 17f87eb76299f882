"""Registry claim and release on SQLite (the three engines: tests/db/test_registry_db.py)."""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.db import migration
from netservice.core.db.session import Database
from netservice.core.registry import Registry, claims


@pytest.fixture
def registry(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/db.sqlite")
    migration.upgrade(db, migration.CORE_BRANCH)
    yield Registry(db)
    db.dispose()


def claim(registry, *wanted):
    with registry.db.write_connection() as conn:
        registry.claim(conn, wanted)


def test_a_networks_own_claims_never_collide(registry):
    claim(registry, claims.fixed_range("a", 1, "10.0.0.0/24"), claims.gateway("a", 1, "10.0.0.1"))
    assert [e.resource for e in registry.entries("address")] == ["10.0.0.0/24", "10.0.0.1"]


def test_an_overlap_names_both_owners_and_writes_nothing(registry):
    claim(registry, claims.fixed_range("a", 1, "10.0.0.0/16"))
    with pytest.raises(exceptions.ClaimConflict) as caught:
        claim(registry, claims.bridge("b", 4, "br9", shared=True),
              claims.fixed_range("b", 4, "10.0.200.0/24"))  # fmt: skip
    assert (
        str(caught.value) == "10.0.200.0/24 of network 4 (b) overlaps 10.0.0.0/16 of network 1 (a)"
    )
    assert registry.entries("l2") == []


def test_release_frees_only_that_network(registry):
    claim(
        registry,
        claims.fixed_range("a", 1, "10.0.0.0/24"),
        claims.fixed_range("a", 2, "10.1.0.0/24"),
    )
    with registry.db.write_connection() as conn:
        assert registry.release(conn, "a", 1) == 1
    claim(registry, claims.fixed_range("b", 1, "10.0.0.0/24"))
    assert {(e.owner, e.resource) for e in registry.entries()} == {
        ("a", "10.1.0.0/24"), ("b", "10.0.0.0/24"),
    }  # fmt: skip


def test_release_floating_keeps_the_rest_of_a_range(registry):
    claim(registry, *claims.floating_range("a", 0xCB007101, 0xCB007106))
    with registry.db.write_connection() as conn:
        registry.release_floating(conn, "a", 0xCB007103, 0xCB007104)
    claim(registry, *claims.floating_range("b", 0xCB007103, 0xCB007104))
    with pytest.raises(
        exceptions.ClaimConflict, match=r"overlaps 203\.0\.113\.5 of floating IPs \(a\)"
    ):
        claim(registry, *claims.floating_range("b", 0xCB007105, 0xCB007106))


def test_bridges_collide_across_scopes_only_on_the_same_host_or_everywhere(registry):
    taken = claims.L2Claim("bridge", "host1", "br5", "a", "1", "a")
    claim(registry, taken)
    claim(registry, claims.L2Claim("bridge", "host2", "br5", "b", "1", "b"))
    with pytest.raises(exceptions.ClaimConflict):
        claim(registry, claims.bridge("c", 1, "br5", shared=True))
