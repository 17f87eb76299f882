"""What one host needs for an l2 network: its bridge and, below it, a VLAN or VXLAN device.

Used by the net-service (network host) and the agent (compute hosts), on
``netservice.linux.links.Links``; every step is idempotent.
"""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions

from netservice_l2.models import L2Network


def devices(network: L2Network) -> list[str]:
    """The links ``wire`` makes for ``network``, lower device first."""
    lower = {"vlan": f"vlan{network.segment}", "vxlan": f"vxlan{network.segment}"}
    return [lower[network.kind], network.bridge] if network.kind in lower else [network.bridge]


def wire(links: Any, network: L2Network, config: Any, host: str) -> None:
    """Ensure the bridge (and its VLAN or VXLAN device) on this host.

    ``links``: a ``netservice.linux.links.Links``; ``config``: the ``[l2]``
    group.  Raises ServiceUnavailable naming the option and host when a
    VXLAN network has no ``vxlan_local_ip`` here; the data plane's errors
    (LinkNotFound for a missing interface, NoVlanSupport) pass through.
    """
    if network.kind == "vlan":
        assert network.segment is not None and network.interface
        links.ensure_vlan_bridge(network.segment, network.interface, bridge=network.bridge)
    elif network.kind == "vxlan":
        assert network.segment is not None and network.interface
        if not config.vxlan_local_ip:
            raise exceptions.ServiceUnavailable(
                reason=f"[l2] vxlan_local_ip is not set on host {host}, "
                f"which VXLAN network {network.label} needs"
            )
        vxlan = links.ensure_vxlan(
            network.segment, config.vxlan_local_ip, network.interface, group=config.vxlan_group
        )
        links.ensure_bridge(network.bridge, vxlan.ifname)
    else:
        links.ensure_bridge(network.bridge, network.interface)
