"""Drift between the registry and the plugins' tables, compared by what is held."""

from __future__ import annotations

from netservice.core.registry import claims, drift


def test_no_drift_when_both_hold_the_same():
    held = [claims.fixed_range("flat", 1, "10.0.0.0/24")]
    assert drift.drift(held, {"flat": list(held)}) == []


def test_floating_ips_compare_as_addresses_not_pieces():
    # Created as .1 then .2-.3; read back from the table as one run .1-.3.
    held = [*claims.floating_range("fd", 1, 1), *claims.floating_range("fd", 2, 3)]
    assert drift.drift(held, {"fd": claims.floating_range("fd", 1, 3)}) == []


def test_each_difference_is_one_line():
    held = [
        claims.fixed_range("flat", 9, "10.9.0.0/24"),
        claims.bridge("gone", 1, "br7", shared=True),
    ]
    wanted = {"flat": [claims.fixed_range("flat", 1, "10.1.0.0/24")]}
    assert drift.drift(held, wanted) == [
        "missing from the registry: 10.1.0.0/24 of network 1 (flat)",
        "held in the registry but not in flat's tables: 10.9.0.0/24 of network 9 (flat)",
        "held by gone, which is not loaded: bridge br7 of network 1 (gone)",
    ]
