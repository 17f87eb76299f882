"""FlatDHCP's net agent: the shared DHCP agent; the bridge follows should_create_bridge.

FlatDHCP always creates the bridge on the compute host (nova's
``should_create_bridge``), multi_host or not, with ``flat_interface``
enslaved; the default ``ensure_compute_link`` does exactly that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netservice.compute import remote
from netservice.dhcp.agent import DhcpNetAgent

from netservice_flat_dhcp.net_service import dataplane

if TYPE_CHECKING:
    from netservice_flat_dhcp.plugin import FlatDhcpPlugin


class FlatDhcpNetAgent(DhcpNetAgent):
    def __init__(self, plugin: FlatDhcpPlugin) -> None:
        # With [agent] api_url (a compute host without the database) the VNIC
        # service is reached over REST; otherwise in-process.
        super().__init__(
            remote.from_config(plugin.context) or plugin.vnics, lambda: dataplane(plugin)
        )
