"""VLAN's net agent: the shared DHCP agent; the VLAN bridge follows should_create_vlan.

A compute host makes the network's ``br<vlan>`` over its VLAN or VXLAN
device itself, without an address, when the network is not multi_host
(nova's ``should_create_vlan``, as its libvirt VIF driver did).  On a
multi_host network the host's own net-service makes it, with the host's
DHCP address on it.  A kernel without 802.1q makes ``setup_compute_network``
raise NoVlanSupport (503, "no 802.1q support in this kernel").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from netservice.dhcp.assembly import PluginNetAgent
from netservice.dhcp.dataplane import HostDataPlane

from netservice_vlan.segmentation import Segmentation

if TYPE_CHECKING:
    from netservice_vlan.plugin import VlanPlugin


def should_create_vlan(network: Any) -> bool:
    """Whether the compute host makes the network's VLAN bridge (not multi_host)."""
    return not network.multi_host


class VlanNetAgent(PluginNetAgent):
    def __init__(
        self, plugin: VlanPlugin, *, dataplane: Callable[[], HostDataPlane] | None = None
    ) -> None:
        """``dataplane`` builds the drivers (default: from ``[linux]``; tests pass fakes)."""
        self.segmentation = Segmentation.from_config(plugin.config)
        super().__init__(plugin, dataplane=dataplane)

    def ensure_compute_link(self, network: Any) -> None:
        if not should_create_vlan(network):
            return
        self.segmentation.ensure(
            self.dp.links,
            vlan=network.vlan,
            bridge=network.bridge,
            interface=network.bridge_interface,
        )
