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


def vlan_net_agent(
    plugin: VlanPlugin, *, dataplane: Callable[[], HostDataPlane] | None = None
) -> PluginNetAgent:
    """The DHCP agent with VLAN's link part.

    ``dataplane`` builds the drivers (default: from ``[linux]``; tests pass
    fakes).  A bad ``[vlan]`` setting raises ConfigurationError now.
    """
    return PluginNetAgent(
        plugin,
        dataplane=dataplane,
        l2=Segmentation.from_config(plugin.config),
        makes_link=should_create_vlan,
    )
