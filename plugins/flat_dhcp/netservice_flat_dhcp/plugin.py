"""The FlatDHCP plugin object, loaded through the ``flat_dhcp`` entry point.

Its public attributes are what the network host's and compute host's parts
(``net_service``, ``agent``, ``leases``) build on:

- ``context``: the ``PluginContext`` the core created it with;
- ``config``: ``context.config``, the ``[flat_dhcp]`` group;
- ``schema``: the model classes (``netservice.networks.schema.Schema``);
- ``allocator``: the ipam ``Allocator`` on its networks and fixed IPs;
- ``networks``: the networks service (``netservice.networks.dhcp.DhcpNetworks``);
- ``vnics``: the VNIC and port service (``netservice.networks.dhcp_vnics.DhcpVnics``);
- ``floating``: the floating IPs (``netservice.floating.service.FloatingIps``).
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

from netservice_flat_dhcp import opts, policies
from netservice_flat_dhcp.api import FlatDhcpAPIService
from netservice_flat_dhcp.models import SCHEMA
from netservice_flat_dhcp.networks import NAME, FlatDhcpNetworks
from netservice_flat_dhcp.os_service import FlatDhcpOSService
from netservice_flat_dhcp.vnics import FlatDhcpVnics

BRANCH = MigrationBranch(
    name="flat_dhcp",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="flat_dhcp_alembic_version",
)


class FlatDhcpPlugin(NetworkServicePlugin):
    """nova-network's FlatDHCPManager: bridges and dnsmasq on network hosts."""

    name = NAME
    description = "FlatDHCP networking: bridges and dnsmasq on network hosts, floating IPs"
    CONFIG_OPTS = opts.FLAT_DHCP_OPTS
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
        self.networks = FlatDhcpNetworks(
            db, self.allocator, self.config, notifier, registry=context.registry
        )
        self.networks.projects = context.projects
        self.vnics = FlatDhcpVnics(
            db,
            self.allocator,
            self.networks,
            self.config,
            host=context.host,
            floating=self.floating,
            notifier=notifier,
        )
        self._os = FlatDhcpOSService(self.vnics, self.floating)
        self._api = FlatDhcpAPIService(
            self.networks, self.vnics, PluginFloatingIps(db, SCHEMA, self.floating)
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
            from netservice_flat_dhcp.agent import FlatDhcpNetAgent  # noqa: PLC0415

            self._agent = FlatDhcpNetAgent(self)
        return self._agent

    def get_net_service(self) -> NetService | None:
        if self._net_service is None:
            from netservice_flat_dhcp.net_service import FlatDhcpNetService  # noqa: PLC0415

            self._net_service = FlatDhcpNetService(self)
        return self._net_service

    def get_dhcp_lease_handler(self) -> DhcpLeaseHandler | None:
        if self._leases is None:
            from netservice_flat_dhcp.leases import FlatDhcpLeaseHandler  # noqa: PLC0415

            self._leases = FlatDhcpLeaseHandler(self)
        return self._leases

    def registry_claims(self) -> Sequence[Claim]:
        return [*self.networks.claims(), *self.floating.claims()]

    def get_migrations(self) -> MigrationBranch | None:
        return BRANCH
