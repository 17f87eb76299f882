"""FlatDHCP's dnsmasq callbacks: the shared ones on FlatDHCP's tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netservice.dhcp.leases import DhcpLeaseCallbacks

if TYPE_CHECKING:
    from netservice_flat_dhcp.plugin import FlatDhcpPlugin


class FlatDhcpLeaseHandler(DhcpLeaseCallbacks):
    def __init__(self, plugin: FlatDhcpPlugin) -> None:
        conf = plugin.context.global_config
        lease_time = conf.linux.dhcp_lease_time if conf is not None else 86400
        super().__init__(
            plugin.context.database, plugin.schema, plugin.allocator, lease_time=lease_time
        )
