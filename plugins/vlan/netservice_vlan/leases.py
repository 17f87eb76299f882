"""VLAN's dnsmasq callbacks: the shared ones on VLAN's tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netservice.dhcp.leases import DhcpLeaseCallbacks

if TYPE_CHECKING:
    from netservice_vlan.plugin import VlanPlugin


class VlanLeaseHandler(DhcpLeaseCallbacks):
    def __init__(self, plugin: VlanPlugin) -> None:
        conf = plugin.context.global_config
        lease_time = conf.linux.dhcp_lease_time if conf is not None else 86400
        super().__init__(
            plugin.context.database, plugin.schema, plugin.allocator, lease_time=lease_time
        )
