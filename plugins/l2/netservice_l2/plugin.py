"""The l2 plugin object, loaded through the ``l2`` entry point."""

from __future__ import annotations

import os
from collections.abc import Sequence

from netservice.compute import remote
from netservice.core.db.migration import MigrationBranch
from netservice.core.net_service import NetService
from netservice.core.plugin import AssembledPlugin, PluginContext
from netservice.core.registry import Claim

from netservice_l2 import opts, policies
from netservice_l2.agent import L2NetAgent, OpenLinks
from netservice_l2.api import L2APIService
from netservice_l2.net_service import L2NetService
from netservice_l2.networks import L2Networks
from netservice_l2.os_service import L2OSService
from netservice_l2.vnics import L2Vnics

BRANCH = MigrationBranch(
    name="l2",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="l2_alembic_version",
)


def linux_links(context: PluginContext) -> OpenLinks | None:
    """Opens ``Links`` in ``[linux] namespace`` (dry-run twin under ``dry_run``)."""
    if context.global_config is None:
        return None
    group = context.global_config.linux

    def open_links() -> object:
        from netservice.linux import factory  # noqa: PLC0415 - only hosts that wire need it

        return factory.links(group)

    return open_links


class L2Plugin(AssembledPlugin):
    """Pure L2 segments: a bridge, a VLAN or a VXLAN VNI; no IP allocation, no DHCP."""

    name = "l2"
    description = "L2 segments: a bridge, VLAN or VXLAN VNI; no IP allocation, no DHCP"
    CONFIG_OPTS = opts.L2_OPTS
    POLICY_RULES = policies.RULES

    def __init__(self, context: PluginContext, open_links: OpenLinks | None = None) -> None:
        super().__init__(context)
        self.networks = L2Networks(context)
        self.vnics = L2Vnics(self.networks)
        self.open_links = open_links or linux_links(context)
        self._os = L2OSService(self.vnics)
        self._api = L2APIService(self.networks, self.vnics)
        # With [agent] api_url (a compute host without the database) the agent
        # reaches the VNIC service over REST; otherwise in-process.
        vnics = remote.from_config(context) or self.vnics
        self._agent = L2NetAgent(vnics, self.open_links, context.config, context.host)

    def get_net_service(self) -> NetService | None:
        if self.open_links is None:
            return None
        return L2NetService(self.networks, self.open_links, self.context.config, self.context.host)

    def registry_claims(self) -> Sequence[Claim]:
        return self.networks.claims()

    def get_migrations(self) -> MigrationBranch | None:
        return BRANCH
