"""FlatDHCP's net-service: the shared DHCP reconciler bound to FlatDHCP's tables.

The bridge of each network gets ``flat_interface`` (the network's
``bridge_interface``) enslaved, with the DHCP address first on it; that is
``DhcpNetService``'s default link, so nothing is overridden here.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.service import DhcpNetService
from netservice.dhcp.state import StateReader

if TYPE_CHECKING:
    from netservice_flat_dhcp.plugin import FlatDhcpPlugin


def dataplane(plugin: FlatDhcpPlugin) -> HostDataPlane:
    """The drivers for ``[linux]``; dnsmasq calls back with this process's config files."""
    ctx = plugin.context
    conf = ctx.global_config
    assert conf is not None  # the core always hands it over
    return HostDataPlane.from_config(
        conf.linux,
        service=ctx.name,
        state_path=ctx.state_path,
        config_files=[os.path.abspath(f) for f in conf.config_file],
    )


class FlatDhcpNetService(DhcpNetService):
    def __init__(self, plugin: FlatDhcpPlugin) -> None:
        host = plugin.context.host

        def dhcp_address(network: Any) -> str | None:
            if network.multi_host:
                return plugin.networks.claim_dhcp_address(network.id, host)
            return None

        super().__init__(
            StateReader(
                plugin.context.database,
                plugin.schema,
                host,
                dhcp_address=dhcp_address,
                service=plugin.context.name,
            ),
            lambda: dataplane(plugin),
            sweep=lambda: plugin.networks.disassociate_expired(host),
        )
