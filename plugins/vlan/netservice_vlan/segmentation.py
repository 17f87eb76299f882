"""How a VLAN network's bridge reaches the other hosts: 802.1q or VXLAN.

``[vlan] segmentation``:

- ``vlan`` (nova's way): the 802.1q device ``vlan<N>`` on ``vlan_interface``,
  enslaved to ``br<N>``.  A kernel without 802.1q refuses it with
  NoVlanSupport ("no 802.1q support in this kernel"), a ServiceUnavailable.
- ``vxlan``: the VXLAN device ``vxlan<N>``, VNI N, from ``vxlan_local`` over
  ``vxlan_underlay`` to ``vxlan_group`` (multicast) or the one peer of
  ``vxlan_remotes``, enslaved to ``br<N>`` the same way.  VNIs go up to
  16,777,215, so the 4094 limit goes.

N is the network's vlan id.  The network host puts the network's DHCP
address on the bridge; a compute host only switches.  The host's own
setting names the lower device first, then the network's
``bridge_interface``, as nova preferred ``vlan_interface`` (device names
differ between hosts).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import netaddr
from netservice.core import exceptions
from netservice.linux.links import Links


@dataclasses.dataclass(frozen=True)
class Segmentation:
    """The segmentation settings of one host, checked once."""

    mode: str = "vlan"
    mtu: int | None = None
    vlan_interface: str | None = None
    vxlan_local: str | None = None
    vxlan_underlay: str | None = None
    vxlan_group: str | None = None
    vxlan_remote: str | None = None
    vxlan_port: int = 4789

    @classmethod
    def from_config(cls, config: Any) -> Segmentation:
        """From the ``[vlan]`` group.  Raises ConfigurationError naming the option."""
        if config.segmentation != "vxlan":
            return cls("vlan", config.network_mtu, config.vlan_interface or None)
        local = _ipv4(config.vxlan_local, "vxlan_local", required=True)
        group = _ipv4(config.vxlan_group, "vxlan_group")
        remotes = [_ipv4(r, "vxlan_remotes", required=True) for r in config.vxlan_remotes]
        if (group is None) == (not remotes):
            raise _bad(
                "vxlan_group", "give vxlan_group or vxlan_remotes (one of them) in vxlan mode"
            )
        if group is not None and not netaddr.IPAddress(group).is_multicast():
            raise _bad("vxlan_group", f"{group} is not a multicast address")
        if len(remotes) > 1:
            raise _bad(
                "vxlan_remotes",
                f"{len(remotes)} peers need the kernel's FDB entries, which netservice does "
                "not manage yet; give one peer, or use vxlan_group",
            )
        return cls(
            "vxlan",
            config.network_mtu,
            config.vlan_interface or None,
            local,
            config.vxlan_underlay or None,
            group,
            remotes[0] if remotes else None,
            int(config.vxlan_port),
        )

    def ensure(
        self,
        links: Links,
        *,
        vlan: int | None,
        bridge: str,
        interface: str | None,
        gateway_address: str | None = None,
    ) -> None:
        """Make ``bridge`` over the network's VLAN or VXLAN device.  Idempotent.

        ``interface`` is the network's ``bridge_interface``.  Raises
        ConfigurationError (no lower device, or a network without a vlan
        id), NoVlanSupport, LinkNotFound (the lower device is missing) or
        LinkError.
        """
        if vlan is None:
            raise exceptions.ConfigurationError(
                reason=f"bridge {bridge}: the network has no vlan id, so no VLAN or VXLAN"
            )
        if self.mode == "vlan":
            lower = self._lower(self.vlan_interface, interface, "vlan_interface")
            links.ensure_vlan_bridge(
                vlan, lower, bridge=bridge, gateway_address=gateway_address, mtu=self.mtu
            )
            return
        lower = self._lower(self.vxlan_underlay, interface, "vxlan_underlay")
        device = links.ensure_vxlan(
            vlan,
            self.vxlan_local or "",
            lower,
            group=self.vxlan_group,
            remote=self.vxlan_remote,
            port=self.vxlan_port,
            mtu=self.mtu,
        )
        links.ensure_bridge(bridge, device.ifname, gateway_address=gateway_address, mtu=self.mtu)

    @staticmethod
    def _lower(configured: str | None, network: str | None, option: str) -> str:
        lower = configured or network
        if not lower:
            raise _bad(option, "is not set and the network has no bridge_interface")
        return lower


def _bad(option: str, reason: str) -> exceptions.ConfigurationError:
    return exceptions.ConfigurationError(reason=f"[vlan] {option}: {reason}")


def _ipv4(value: str | None, option: str, *, required: bool = False) -> str | None:
    if not value:
        if required:
            raise _bad(option, "is required in vxlan mode")
        return None
    try:
        return str(netaddr.IPAddress(value, version=4))
    except (netaddr.AddrFormatError, ValueError) as err:
        raise _bad(option, f"{value!r} is not an IPv4 address") from err
