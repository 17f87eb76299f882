"""The VLAN plugin object, loaded through the ``vlan`` entry point.

Its public attributes are what the network host's and compute host's parts
(``net_service``, ``agent``, ``leases``) and the manage tool build on:

- ``context``: the ``PluginContext`` the core created it with;
- ``config``: ``context.config``, the ``[vlan]`` group;
- ``schema``: the model classes (``netservice.networks.schema.Schema``);
- ``allocator``: the ipam ``Allocator`` on its networks and fixed IPs;
- ``networks``: the networks service (``netservice_vlan.networks.VlanNetworks``);
- ``vnics``: the VNIC and port service (``netservice_vlan.vnics.VlanVnics``);
- ``floating``: the floating IPs (``netservice.floating.service.FloatingIps``);
- ``vpns``: the projects' VPNs (``netservice_vlan.vpn.ProjectVpns``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

from netservice.core.api_service import APIService
from netservice.core.db.migration import MigrationBranch
from netservice.core.dhcp import DhcpLeaseHandler
from netservice.core.net_agent import NetAgent
from netservice.core.net_service import NetService
from netservice.core.os_service import OSService
from netservice.core.plugin import NetworkServicePlugin, PluginContext
from netservice.core.registry import Claim
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.floating import PluginFloatingIps, public_interface
from netservice.networks.schema import Schema
from oslo_policy import policy

from netservice_vlan import opts, policies
from netservice_vlan.api import VlanAPIService
from netservice_vlan.models import SCHEMA
from netservice_vlan.networks import NAME, VlanNetworks
from netservice_vlan.os_service import VlanOSService
from netservice_vlan.vnics import VlanVnics
from netservice_vlan.vpn import ProjectVpns

BRANCH = MigrationBranch(
    name="vlan",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="vlan_alembic_version",
)


class VlanPlugin(NetworkServicePlugin):
    """nova-network's VlanManager: a network per project, VLAN or VXLAN bridges, VPN."""

    name = NAME
    description = (
        "VLAN networking: a network per project on its own VLAN or VXLAN, dnsmasq per "
        "network, floating IPs, VPN"
    )
    CONFIG_OPTS = opts.VLAN_OPTS
    POLICY_RULES: ClassVar[list[policy.RuleDefault]] = policies.RULES

    def __init__(self, context: PluginContext) -> None:
        super().__init__(context)
        self.config: Any = context.config
        self.schema: Schema = SCHEMA
        db, notifier = context.database, context.notifier
        self.allocator = Allocator(SCHEMA.network.__table__, SCHEMA.fixed_ip.__table__)
        self.floating = FloatingIps(
            db,
            SCHEMA.floating_ip,
            SCHEMA.fixed_ip,
            quota=int(self.config.quota_floating_ips),
            notifier=notifier,
            service_name=NAME,
            projects=context.projects,
            default_pool=self.config.default_floating_pool,
            default_interface=public_interface(context.global_config),
            registry=context.registry,
        )
        self.networks = VlanNetworks(
            db, self.allocator, self.config, notifier, registry=context.registry
        )
        self.networks.projects = context.projects
        self.vnics = VlanVnics(
            db,
            self.allocator,
            self.networks,
            self.config,
            host=context.host,
            floating=self.floating,
            notifier=notifier,
        )
        self.vpns = ProjectVpns(self.networks, self.config.vpn_ip)
        self._os = VlanOSService(self.vnics, self.floating, self.vpns)
        self._api = VlanAPIService(
            self.networks, self.vnics, PluginFloatingIps(db, SCHEMA, self.floating), self.vpns
        )
        self._agent: NetAgent | None = None
        self._net_service: NetService | None = None
        self._leases: DhcpLeaseHandler | None = None

    def get_os_service(self) -> OSService:
        return self._os

    def get_os_api_service(self) -> APIService:
        return self._api

    # The host-side parts import the data plane, so they load on first use.

    def get_net_agent(self) -> NetAgent:
        if self._agent is None:
            from netservice_vlan.agent import VlanNetAgent  # noqa: PLC0415

            self._agent = VlanNetAgent(self)
        return self._agent

    def get_net_service(self) -> NetService | None:
        if self._net_service is None:
            from netservice_vlan.net_service import VlanNetService  # noqa: PLC0415

            self._net_service = VlanNetService(self)
        return self._net_service

    def get_dhcp_lease_handler(self) -> DhcpLeaseHandler | None:
        if self._leases is None:
            from netservice_vlan.leases import VlanLeaseHandler  # noqa: PLC0415

            self._leases = VlanLeaseHandler(self)
        return self._leases

    def registry_claims(self) -> Sequence[Claim]:
        return [*self.networks.claims(), *self.floating.claims()]

    def get_migrations(self) -> MigrationBranch | None:
        return BRANCH
