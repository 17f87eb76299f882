"""Packaging and the plugin object: entry points, options, attributes, rules."""

from __future__ import annotations

from importlib import metadata

import pytest
from netservice_vlan.plugin import VlanPlugin

from netservice.core import bootstrap, exceptions
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
    (ep,) = [e for e in metadata.entry_points(group="netservice.plugins") if e.name == "vlan"]
    assert ep.load() is VlanPlugin and issubclass(VlanPlugin, NetworkServicePlugin)


def test_console_script_loads():
    (ep,) = [
        e for e in metadata.entry_points(group="console_scripts")
        if e.name == "netservice-vlan-manage"
    ]  # fmt: skip
    assert callable(ep.load())


def test_config_hook_lists_the_group():
    (ep,) = [
        e for e in metadata.entry_points(group="oslo.config.opts") if e.name == "netservice.vlan"
    ]
    names = {opt.name for opt in dict(ep.load()())["vlan"]}
    assert {"vlan_start", "vpn_start", "vlan_interface", "num_networks", "network_size", "vpn_ip",
            "cnt_vpn_clients", "quota_fixed_ips", "quota_floating_ips",
            "fixed_ip_disassociate_timeout", "auto_assign_floating_ip", "default_floating_pool",
            "multi_host", "share_dhcp_address", "segmentation", "vxlan_local", "vxlan_underlay",
            "vxlan_group", "vxlan_remotes", "vxlan_port", "network_mtu"} <= names  # fmt: skip


def test_option_defaults(vlan):
    config = vlan.config
    assert (config.vlan_start, config.vpn_start, config.cnt_vpn_clients) == (200, 1000, 0)
    assert (config.fixed_ip_disassociate_timeout, config.quota_fixed_ips) == (600, -1)
    assert (config.quota_floating_ips, config.default_floating_pool) == (10, "nova")
    assert (config.segmentation, config.vxlan_port, config.vpn_ip) == ("vlan", 4789, None)
    assert not (config.multi_host or config.share_dhcp_address or config.auto_assign_floating_ip)


def test_public_attributes(vlan):
    assert vlan.config is vlan.context.config
    assert isinstance(vlan.schema, Schema) and vlan.schema.floating_ip is not None
    assert isinstance(vlan.allocator, Allocator)
    assert isinstance(vlan.networks, DhcpNetworks) and isinstance(vlan.vnics, Vnics)
    # Floating IPs follow the instance's ports: a part of the VNIC service, not a subclass.
    assert [type(extra) for extra in vlan.vnics.extras] == [FloatingOnPorts]
    assert vlan.vnics.extras[0].floating is vlan.floating
    assert isinstance(vlan.floating, FloatingIps)
    assert vlan.networks.topology.free_on_unbind is False
    assert vlan.networks.topology.planner.vlan is True


def test_branch_and_tables(vlan):
    branch = vlan.get_migrations()
    assert (branch.name, branch.version_table) == ("vlan", "vlan_alembic_version")
    tables = {
        vlan.schema.network.__tablename__,
        vlan.schema.vnic.__tablename__,
        vlan.schema.fixed_ip.__tablename__,
        vlan.schema.floating_ip.__tablename__,
    }
    assert tables == {"vlan_networks", "vlan_ethernet_cards", "vlan_fixed_ips",
                      "vlan_floating_ips"}  # fmt: skip


def test_policy_rules_are_named_for_the_plugin():
    rules = {r.name: r.check_str for r in VlanPlugin.POLICY_RULES}
    assert all(name.startswith("vlan:") for name in rules)
    assert {"vlan:network:create", "vlan:floating_ip:associate", "vlan:network:leases",
            "vlan:vpn:get", "vlan:vpn:change", "vlan:vpn:list"} <= set(rules)  # fmt: skip
    for admin_only in ("vlan:network:associate", "vlan:network:add", "vlan:port:vpn",
                       "vlan:vpn:change"):  # fmt: skip
        assert rules[admin_only] == "rule:admin_only"
    assert rules["vlan:vpn:get"] == "rule:admin_or_owner"


def test_the_manager_loads_it_beside_flat_and_flat_dhcp(tmp_path):
    path = write_config(str(tmp_path), ["flat", "flat_dhcp", "vlan"], default="vlan")
    manager = bootstrap.open_services(make_conf(path))
    try:
        assert manager.names() == ["flat", "flat_dhcp", "vlan"]
        bootstrap.sync_schema(manager)
        plugin = manager.get("vlan")
        assert isinstance(plugin, VlanPlugin) and plugin.context.notifier is not None
        assert isinstance(plugin.get_net_agent(), NetAgent)
        assert isinstance(plugin.get_net_service(), NetService)
        assert isinstance(plugin.get_dhcp_lease_handler(), DhcpLeaseHandler)
        assert plugin.get_net_service() is plugin.get_net_service()  # built once
    finally:
        manager.database.dispose()


@pytest.mark.parametrize(
    "vlan_extra", [{"vlan": {"segmentation": "vxlan", "vxlan_group": "239.1.1.1"}}]
)
def test_a_bad_vxlan_setting_stops_the_net_service_at_start(vlan):
    with pytest.raises(exceptions.ConfigurationError, match=r"\[vlan\] vxlan_local"):
        vlan.get_net_service()
