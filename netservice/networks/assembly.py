"""A DHCP plugin assembled from the framework's parts.

FlatDHCP and VLAN are the same assembly with different parts and options:
a plugin class names its ``DhcpParts`` (tables, migrations, the topology it
reads from its options, and which networks, VNIC, API and host-side parts
to use) and ``DhcpPlugin`` builds them, in this order, into these public
attributes, which the host-side parts and the manage tool build on:

- ``context``: the ``PluginContext`` the core created it with;
- ``config``: ``context.config``, the plugin's option group;
- ``schema``: the model classes (``netservice.networks.schema.Schema``);
- ``allocator``: the addressing part, the ipam ``Allocator`` on its
  networks and fixed IPs;
- ``floating``: the floating IPs extra (``netservice.floating.service.FloatingIps``);
- ``networks``: the networks service (``netservice.networks.dhcp.DhcpNetworks``
  or the plugin's subclass);
- ``vnics``: the VNIC and port service (``Vnics`` or a subclass), with the
  ``FloatingOnPorts`` extra and the networks' multi_host DHCP addresses;
- one attribute per entry of ``DhcpParts.extras`` (VLAN: ``vpns``).

The network host's and compute host's parts (net-service, agent, DHCP
lease handler) import the data plane, so they are named ``"module:Class"``,
take the plugin object, and are imported on first use.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from netservice.core.api_service import APIService
from netservice.core.db.migration import MigrationBranch
from netservice.core.dhcp import DhcpLeaseHandler
from netservice.core.net_agent import NetAgent
from netservice.core.net_service import NetService
from netservice.core.os_service import OSService
from netservice.core.plugin import AssembledPlugin, PluginContext
from netservice.core.registry import Claim
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.api import service as api_service
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.floating import PluginFloatingIps, public_interface
from netservice.networks.os_service import NetworksOSService
from netservice.networks.port_floating import FloatingOnPorts
from netservice.networks.tables import Tables
from netservice.networks.topology import Topology
from netservice.networks.vnics import Vnics

Factory = Callable[[Any], Any]
"""Builds one part from the plugin object assembled so far."""

HOST_PARTS = "netservice.dhcp.assembly"


def dhcp_api(plugin: Any) -> APIService:
    """The REST API of every DHCP topology with floating IPs."""
    return api_service.dhcp_api(plugin.networks, plugin.vnics, plugin_floating_ips(plugin))


def plugin_floating_ips(plugin: Any) -> PluginFloatingIps:
    """The REST API's floating IP association check on the plugin's tables."""
    return PluginFloatingIps(plugin.context.database, plugin.schema, plugin.floating)


def os_service(plugin: Any) -> OSService:
    """The OS service with the plugin's floating IPs (and VPNs, when it has them)."""
    return NetworksOSService(plugin.vnics, plugin.floating, getattr(plugin, "vpns", None))


@dataclasses.dataclass(frozen=True)
class DhcpParts:
    """What a DHCP plugin is assembled from; every field but the first three has a default.

    ``networks`` and ``vnics`` are classes with ``DhcpNetworks``'s and
    ``Vnics``'s constructors; ``extras`` build further attributes after
    the VNICs (name -> factory); ``api`` and ``os_service`` build the
    services from the assembled plugin; ``agent``, ``net_service`` and
    ``leases`` are ``"module:Class"`` taking the plugin object.
    """

    tables: Tables
    migrations: MigrationBranch
    topology: Callable[[Any], Topology]
    networks: type[DhcpNetworks] = DhcpNetworks
    vnics: type[Vnics] = Vnics
    extras: Mapping[str, Factory] = dataclasses.field(default_factory=dict)
    api: Callable[[Any], APIService] = dhcp_api
    os_service: Callable[[Any], OSService] = os_service
    agent: str = f"{HOST_PARTS}:PluginNetAgent"
    net_service: str = f"{HOST_PARTS}:PluginNetService"
    leases: str = f"{HOST_PARTS}:PluginLeaseHandler"


def load(ref: str) -> Any:
    """The object ``"module:name"`` names."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


class NetworksPlugin(AssembledPlugin):
    """A plugin on ``netservice.networks``: ``__init__`` builds its OS and REST
    services and its agent (``AssembledPlugin``'s ``_os``, ``_api``, ``_agent``)."""


class DhcpPlugin(NetworksPlugin):
    """A plugin on networks, ipam, DHCP and floating IPs, built from ``PARTS``."""

    PARTS: ClassVar[DhcpParts]
    """What the plugin is assembled from."""

    def __init__(self, context: PluginContext) -> None:
        super().__init__(context)
        parts = self.PARTS
        self.config: Any = context.config
        self.schema = parts.tables.schema
        db, notifier = context.database, context.notifier
        self.allocator = Allocator(self.schema.network.__table__, self.schema.fixed_ip.__table__)
        self.floating = FloatingIps(
            db,
            self.schema.floating_ip,
            self.schema.fixed_ip,
            quota=int(self.config.quota_floating_ips),
            notifier=notifier,
            service_name=self.name,
            projects=context.projects,
            default_pool=self.config.default_floating_pool,
            default_interface=public_interface(context.global_config),
            registry=context.registry,
        )
        self.networks = parts.networks(
            db,
            self.allocator,
            self.schema,
            parts.topology(self.config),
            notifier,
            registry=context.registry,
        )
        self.networks.projects = context.projects
        self.vnics = parts.vnics(
            db,
            self.allocator,
            self.schema,
            self.networks.topology,
            self.networks,
            host=context.host,
            notifier=notifier,
            extras=[
                FloatingOnPorts(
                    db,
                    self.schema,
                    self.allocator,
                    self.floating,
                    auto_assign_pool=self.config.default_floating_pool
                    if self.config.auto_assign_floating_ip
                    else None,
                )
            ],
            dhcp_address=self.networks.dhcp_address,
        )
        for name, build in parts.extras.items():
            setattr(self, name, build(self))
        self._os = parts.os_service(self)
        self._api = parts.api(self)
        self._host_parts: dict[str, Any] = {}

    def _host_part(self, ref: str) -> Any:
        """The host-side part ``ref``, built once; it imports the data plane, so on first use."""
        if ref not in self._host_parts:
            self._host_parts[ref] = load(ref)(self)
        return self._host_parts[ref]

    def get_net_agent(self) -> NetAgent:
        agent: NetAgent = self._host_part(self.PARTS.agent)
        return agent

    def get_net_service(self) -> NetService | None:
        service: NetService = self._host_part(self.PARTS.net_service)
        return service

    def get_dhcp_lease_handler(self) -> DhcpLeaseHandler | None:
        handler: DhcpLeaseHandler = self._host_part(self.PARTS.leases)
        return handler

    def registry_claims(self) -> Sequence[Claim]:
        return [*self.networks.claims(), *self.floating.claims()]

    def get_migrations(self) -> MigrationBranch | None:
        migrations: MigrationBranch = self.PARTS.migrations
        return migrations
