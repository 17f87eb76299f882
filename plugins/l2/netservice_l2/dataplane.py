"""What one host needs for an l2 network: its bridge and, below it, a VLAN or VXLAN device.

Used by the net-service (network host) and the agent (compute hosts), on
``netservice.linux.links.Links``; every step is idempotent.
"""

from __future__ import annotations

import hashlib
from typing import Any

from netservice.core import exceptions

from netservice_l2.models import L2Network

_IFNAMSIZ = 15


def vlan_device(interface: str, vlan_id: int) -> str:
    """The VLAN device of ``vlan_id`` on ``interface``: ``<interface>.<id>``.

    Not the VLAN plugin's ``vlan<N>``: the registry lets two plugins use one
    id on different interfaces, and both may be wired on one host.  A name
    too long for the kernel becomes ``v<id>-<hash of interface>``.
    """
    name = f"{interface}.{vlan_id}"
    if len(name) <= _IFNAMSIZ:
        return name
    return f"v{vlan_id}-{hashlib.sha256(interface.encode()).hexdigest()[:8]}"


def devices(network: L2Network) -> list[str]:
    """The links ``wire`` makes for ``network``, lower device first."""
    if network.kind == "vlan":
        assert network.segment is not None and network.interface
        return [vlan_device(network.interface, network.segment), network.bridge]
    if network.kind == "vxlan":
        return [f"vxlan{network.segment}", network.bridge]
    return [network.bridge]


def wire(links: Any, network: L2Network, config: Any, host: str) -> None:
    """Ensure the bridge (and its VLAN or VXLAN device) on this host.

    ``links``: a ``netservice.linux.links.Links``; ``config``: the ``[l2]``
    group.  Raises ServiceUnavailable naming the option and host when a
    VXLAN network has no ``vxlan_local_ip`` here; the data plane's errors
    (LinkNotFound for a missing interface, NoVlanSupport) pass through.
    """
    if network.kind == "vlan":
        assert network.segment is not None and network.interface
        links.ensure_vlan_bridge(
            network.segment,
            network.interface,
            bridge=network.bridge,
            ifname=vlan_device(network.interface, network.segment),
        )
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
