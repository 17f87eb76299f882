"""The Flat plugin object, loaded through the ``flat`` entry point.

Built on ``netservice.networks`` without DHCP or floating IPs: Flat's tables
and topology, the shared OS service and REST API (``NetworksAPIService``:
networks, vnics, ports, fixed_ips; Flat adds no resource), and its own net
agent, which checks the operator's bridge and may inject the guest's
network configuration.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from netservice.compute import remote
from netservice.core.db.migration import MigrationBranch
from netservice.core.plugin import PluginContext
from netservice.core.registry import Claim
from netservice.ipam.allocator import Allocator
from netservice.networks import assembly
from netservice.networks.api.service import NetworksAPIService
from netservice.networks.os_service import NetworksOSService
from oslo_config import cfg
from oslo_policy import policy

from netservice_flat import opts, policies
from netservice_flat.agent import BridgeCheck, FlatNetAgent
from netservice_flat.models import FlatIpAddress, FlatNetwork
from netservice_flat.networks import FlatNetworks
from netservice_flat.vnics import FlatVnics

LOG = logging.getLogger(__name__)

BRANCH = MigrationBranch(
    name="flat",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="flat_alembic_version",
)


def linux_bridge_check(global_config: cfg.ConfigOpts | None) -> BridgeCheck:
    """``bridge -> exists`` in ``[linux] namespace``; None under ``[linux] dry_run``."""

    def check(bridge: str) -> bool | None:
        if global_config is None:
            return None
        group = global_config.linux
        if group.dry_run:
            return None
        from netservice.linux import factory  # noqa: PLC0415 - only compute hosts need it

        links = factory.links(group)
        try:
            return links.get(bridge) is not None
        finally:
            links.close()

    return check


def linux_firewall(global_config: cfg.ConfigOpts | None) -> Callable[[], Any]:
    """The compute host's nftables driver from ``[linux]`` (printing under dry_run); None
    without a global configuration (a plugin built on its own, in tests)."""

    def make() -> Any:
        if global_config is None:
            return None
        from netservice.linux import factory  # noqa: PLC0415 - only compute hosts need it

        return factory.firewall_driver(global_config.linux)

    return make


class FlatPlugin(assembly.NetworksPlugin):
    """nova-network's FlatManager: operator bridges, no DHCP, optional injection."""

    name = "flat"
    description = "Flat networking: operator-made bridges, no DHCP, file injection"
    CONFIG_OPTS = opts.FLAT_OPTS
    POLICY_RULES: ClassVar[list[policy.RuleDefault]] = policies.RULES

    def __init__(self, context: PluginContext, bridge_check: BridgeCheck | None = None) -> None:
        super().__init__(context)
        allocator = Allocator.for_models(FlatNetwork, FlatIpAddress)
        self.networks = FlatNetworks(
            context.database, allocator, context.config, registry=context.registry
        )
        self.networks.projects = context.projects
        self.vnics = FlatVnics(context.database, allocator, self.networks, context.host)
        self._os = NetworksOSService(self.vnics)
        self._api = NetworksAPIService(self.networks, self.vnics)
        # With [agent] api_url (a compute host without the database) the agent
        # reaches the VNIC service over REST; otherwise in-process.
        self._agent = FlatNetAgent(
            remote.from_config(context) or self.vnics,
            bridge_check or linux_bridge_check(context.global_config),
            context.host,
            linux_firewall(context.global_config),
        )

    def registry_claims(self) -> Sequence[Claim]:
        return self.networks.claims()

    def get_migrations(self) -> MigrationBranch | None:
        return BRANCH
