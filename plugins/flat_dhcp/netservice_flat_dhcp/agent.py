"""FlatDHCP's net agent: the shared DHCP agent; the bridge follows should_create_bridge.

FlatDHCP always creates the bridge on the compute host (nova's
``should_create_bridge``), multi_host or not, with ``flat_interface``
enslaved; the default ``ensure_compute_link`` does exactly that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netservice.dhcp.agent import DhcpNetAgent

from netservice_flat_dhcp.net_service import dataplane

if TYPE_CHECKING:
    from netservice_flat_dhcp.plugin import FlatDhcpPlugin


class FlatDhcpNetAgent(DhcpNetAgent):
    def __init__(self, plugin: FlatDhcpPlugin) -> None:
        super().__init__(plugin.vnics, lambda: dataplane(plugin))
