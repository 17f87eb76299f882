"""The VLAN plugin object, loaded through the ``vlan`` entry point.

An assembly of the framework's parts (``netservice.networks.assembly``)
that differs from FlatDHCP's in its parts and options:

- the networks service ``VlanNetworks`` (networks owned by projects) and
  the VNIC service ``VlanVnics`` (a first boot claims the project a network);
- the ``vpns`` extra (``netservice_vlan.vpn.ProjectVpns``), which the OS
  service and the REST API (``vlan_api``) serve;
- a net-service and agent whose link is the network's 802.1q or VXLAN
  bridge (``segmentation``), with isolation and VPN forwards.

Its public attributes are ``DhcpPlugin``'s plus ``vpns``.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from netservice.core.api_service import APIService
from netservice.core.db.migration import MigrationBranch
from netservice.networks import assembly
from oslo_policy import policy

from netservice_vlan import opts, policies
from netservice_vlan.api import vlan_api
from netservice_vlan.models import TABLES
from netservice_vlan.networks import NAME, VlanNetworks, vlan_topology
from netservice_vlan.vnics import VlanVnics
from netservice_vlan.vpn import ProjectVpns

BRANCH = MigrationBranch(
    name=NAME,
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="vlan_alembic_version",
)


def vpns(plugin: Any) -> ProjectVpns:
    return ProjectVpns(plugin.networks, plugin.config.vpn_ip)


def api(plugin: Any) -> APIService:
    return vlan_api(
        plugin.networks, plugin.vnics, assembly.plugin_floating_ips(plugin), plugin.vpns
    )


class VlanPlugin(assembly.DhcpPlugin):
    """nova-network's VlanManager: a network per project, VLAN or VXLAN bridges, VPN."""

    name = NAME
    description = (
        "VLAN networking: a network per project on its own VLAN or VXLAN, dnsmasq per "
        "network, floating IPs, VPN"
    )
    CONFIG_OPTS = opts.VLAN_OPTS
    POLICY_RULES: ClassVar[list[policy.RuleDefault]] = policies.RULES
    PARTS = assembly.DhcpParts(
        tables=TABLES,
        migrations=BRANCH,
        topology=vlan_topology,
        networks=VlanNetworks,
        vnics=VlanVnics,
        extras={"vpns": vpns},
        api=api,
        agent="netservice_vlan.agent:vlan_net_agent",
        net_service="netservice_vlan.net_service:vlan_net_service",
    )
    vpns: ProjectVpns
