"""Packaging: the entry point, the console script and the config hook load."""

from __future__ import annotations

from importlib import metadata

from netservice_flat.plugin import FlatPlugin, linux_bridge_check

from netservice.core.plugin import NetworkServicePlugin


def test_flat_entry_point_loads():
    (ep,) = [e for e in metadata.entry_points(group="netservice.plugins") if e.name == "flat"]
    assert ep.load() is FlatPlugin and issubclass(FlatPlugin, NetworkServicePlugin)


def test_console_script_loads():
    (ep,) = [
        e for e in metadata.entry_points(group="console_scripts")
        if e.name == "netservice-flat-manage"
    ]  # fmt: skip
    assert callable(ep.load())


def test_config_hook_lists_the_flat_group():
    (ep,) = [
        e for e in metadata.entry_points(group="oslo.config.opts") if e.name == "netservice.flat"
    ]
    groups = dict(ep.load()())
    names = {opt.name for opt in groups["flat"]}
    assert {"flat_network_bridge", "flat_interface", "flat_injected", "flat_network_dns",
            "quota_fixed_ips"} <= names  # fmt: skip


def test_manager_loads_flat_with_its_branch_and_rules(flat_manager, flat):
    assert "flat" in flat_manager.names()
    assert flat.get_migrations().version_table == "flat_alembic_version"
    assert {r.name for r in FlatPlugin.POLICY_RULES} >= {"flat:network:create", "flat:port:create"}


def test_bridge_check_without_config_cannot_tell():
    assert linux_bridge_check(None)("br100") is None
