"""Packaging and the plugin object: entry points, options, attributes, rules."""

from __future__ import annotations

from importlib import metadata

from netservice_flat_dhcp.plugin import FlatDhcpPlugin

from netservice.core import bootstrap
from netservice.core.dhcp import DhcpLeaseHandler
from netservice.core.net_agent import NetAgent
from netservice.core.net_service import NetService
from netservice.core.plugin import NetworkServicePlugin
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.port_floating import FloatingOnPorts
from netservice.networks.schema import Schema
from netservice.networks.vnics import Vnics
from netservice.testing.config import make_conf, write_config


def test_entry_point_loads():
    (ep,) = [e for e in metadata.entry_points(group="netservice.plugins") if e.name == "flat_dhcp"]
    assert ep.load() is FlatDhcpPlugin and issubclass(FlatDhcpPlugin, NetworkServicePlugin)


def test_console_script_loads():
    (ep,) = [
        e for e in metadata.entry_points(group="console_scripts")
        if e.name == "netservice-flat-dhcp-manage"
    ]  # fmt: skip
    assert callable(ep.load())


def test_config_hook_lists_the_group():
    (ep,) = [
        e
        for e in metadata.entry_points(group="oslo.config.opts")
        if e.name == "netservice.flat_dhcp"
    ]
    names = {opt.name for opt in dict(ep.load()())["flat_dhcp"]}
    assert {"flat_network_bridge", "flat_interface", "flat_network_dns", "multi_host",
            "share_dhcp_address", "fixed_ip_disassociate_timeout", "quota_fixed_ips",
            "quota_floating_ips", "auto_assign_floating_ip",
            "default_floating_pool"} == names  # fmt: skip


def test_option_defaults(dhcp):
    config = dhcp.config
    assert (config.flat_network_bridge, config.flat_network_dns) == ("br100", "8.8.4.4")
    assert (config.fixed_ip_disassociate_timeout, config.quota_fixed_ips) == (600, -1)
    assert (config.quota_floating_ips, config.default_floating_pool) == (10, "nova")
    assert not (config.multi_host or config.share_dhcp_address or config.auto_assign_floating_ip)


def test_public_attributes(dhcp):
    assert dhcp.config is dhcp.context.config
    assert isinstance(dhcp.schema, Schema) and dhcp.schema.floating_ip is not None
    assert isinstance(dhcp.allocator, Allocator)
    assert isinstance(dhcp.networks, DhcpNetworks) and isinstance(dhcp.vnics, Vnics)
    # Floating IPs follow the instance's ports: a part of the VNIC service, not a subclass.
    assert [type(extra) for extra in dhcp.vnics.extras] == [FloatingOnPorts]
    assert dhcp.vnics.extras[0].floating is dhcp.floating
    assert isinstance(dhcp.floating, FloatingIps)
    assert dhcp.networks.topology.free_on_unbind is False


def test_branch_and_tables(dhcp):
    branch = dhcp.get_migrations()
    assert (branch.name, branch.version_table) == ("flat_dhcp", "flat_dhcp_alembic_version")
    tables = {
        dhcp.schema.network.__tablename__,
        dhcp.schema.vnic.__tablename__,
        dhcp.schema.fixed_ip.__tablename__,
        dhcp.schema.floating_ip.__tablename__,
    }
    assert tables == {"flat_dhcp_networks", "flat_dhcp_ethernet_cards", "flat_dhcp_fixed_ips",
                      "flat_dhcp_floating_ips"}  # fmt: skip


def test_policy_rules_are_named_for_the_plugin():
    names = {r.name for r in FlatDhcpPlugin.POLICY_RULES}
    assert all(name.startswith("flat_dhcp:") for name in names)
    assert {"flat_dhcp:network:create", "flat_dhcp:floating_ip:associate",
            "flat_dhcp:floating_ip:create", "flat_dhcp:network:leases"} <= names  # fmt: skip


def test_the_manager_loads_it_beside_flat(tmp_path):
    path = write_config(str(tmp_path), ["flat", "flat_dhcp"], default="flat_dhcp")
    manager = bootstrap.open_services(make_conf(path))
    try:
        assert manager.names() == ["flat", "flat_dhcp"]
        bootstrap.sync_schema(manager)
        plugin = manager.get("flat_dhcp")
        assert isinstance(plugin, FlatDhcpPlugin) and plugin.context.notifier is not None
        assert isinstance(plugin.get_net_agent(), NetAgent)
        assert isinstance(plugin.get_net_service(), NetService)
        assert isinstance(plugin.get_dhcp_lease_handler(), DhcpLeaseHandler)
        assert plugin.get_net_agent() is plugin.get_net_agent()  # built once
    finally:
        manager.database.dispose()
