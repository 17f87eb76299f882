"""FlatDHCP's networks service: ``netservice.networks.dhcp`` on its tables and options."""

from __future__ import annotations

from typing import Any

from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier
from netservice.core.registry import Registry
from netservice.ipam import planner
from netservice.ipam.allocator import Allocator
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.topology import Topology

from netservice_flat_dhcp.models import SCHEMA

NAME = "flat_dhcp"


def flat_dhcp_topology(config: Any) -> Topology:
    """A leased address outlives its instance until released or timed out."""
    return Topology(
        name=NAME,
        free_on_unbind=False,
        planner=planner.Topology(
            vlan=False,
            default_bridge=config.flat_network_bridge,
            default_bridge_interface=config.flat_interface,
            default_dns1=config.flat_network_dns,
        ),
        default_multi_host=bool(config.multi_host),
        quota_fixed_ips=int(config.quota_fixed_ips),
        dhcp=True,
        fixed_ip_disassociate_timeout=int(config.fixed_ip_disassociate_timeout),
        share_dhcp_address=bool(config.share_dhcp_address),
    )


class FlatDhcpNetworks(DhcpNetworks):
    """Networks and addresses of the FlatDHCP service (``[flat_dhcp]`` options)."""

    def __init__(
        self,
        db: Database,
        allocator: Allocator,
        config: Any,
        notifier: ChangeNotifier | None = None,
        registry: Registry | None = None,
    ) -> None:
        super().__init__(
            db, allocator, SCHEMA, flat_dhcp_topology(config), notifier, registry=registry
        )
