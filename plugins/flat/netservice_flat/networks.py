"""Flat's networks service: ``netservice.networks`` on Flat's tables and options."""

from __future__ import annotations

from typing import Any

from netservice.core.db.session import Database
from netservice.core.registry import Registry
from netservice.ipam.allocator import Allocator
from netservice.networks.networks import Networks
from netservice.networks.topology import Topology, flat_planner

from netservice_flat.models import SCHEMA


def flat_topology(config: Any) -> Topology:
    """Flat frees addresses at once, serves no DHCP and may mark networks injected."""
    return Topology(
        name="flat",
        free_on_unbind=True,
        planner=flat_planner(config),
        injected=bool(config.flat_injected),
        quota_fixed_ips=int(config.quota_fixed_ips),
    )


class FlatNetworks(Networks):
    """Networks and addresses of the Flat service (``[flat]`` options)."""

    def __init__(
        self, db: Database, allocator: Allocator, config: Any, registry: Registry | None = None
    ) -> None:
        # No notifier: Flat has no net-service to wake.
        super().__init__(db, allocator, SCHEMA, flat_topology(config), registry=registry)
