"""The FlatDHCP plugin object, loaded through the ``flat_dhcp`` entry point.

An assembly of the framework's parts (``netservice.networks.assembly``):
its tables, the ``[flat_dhcp]`` topology, and the defaults for the rest
(``DhcpNetworks``, ``Vnics`` with ``FloatingOnPorts``, ``dhcp_api``'s REST API: Flat's
shape plus leases and floating IPs, and ``netservice.dhcp.assembly``'s
net-service, agent and lease handler).  The compute host always creates the
network's bridge with ``flat_interface`` enslaved (nova's
``should_create_bridge``), multi_host or not: the agent's default link.  Its
public attributes are ``DhcpPlugin``'s.
"""

from __future__ import annotations

import os
from typing import ClassVar

from netservice.core.db.migration import MigrationBranch
from netservice.networks import assembly
from oslo_policy import policy

from netservice_flat_dhcp import opts, policies
from netservice_flat_dhcp.models import TABLES
from netservice_flat_dhcp.networks import NAME, flat_dhcp_topology

BRANCH = MigrationBranch(
    name=NAME,
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="flat_dhcp_alembic_version",
)


class FlatDhcpPlugin(assembly.DhcpPlugin):
    """nova-network's FlatDHCPManager: bridges and dnsmasq on network hosts."""

    name = NAME
    description = "FlatDHCP networking: bridges and dnsmasq on network hosts, floating IPs"
    CONFIG_OPTS = opts.FLAT_DHCP_OPTS
    POLICY_RULES: ClassVar[list[policy.RuleDefault]] = policies.RULES
    PARTS = assembly.DhcpParts(tables=TABLES, migrations=BRANCH, topology=flat_dhcp_topology)
