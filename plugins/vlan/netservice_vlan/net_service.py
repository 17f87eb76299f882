"""VLAN's net-service: the shared DHCP reconciler, with VLAN's links and extras.

For each network this host serves it makes ``br<vlan>`` over the network's
802.1q or VXLAN device (``segmentation``) with the DHCP address first on
it, runs the network's own dnsmasq and SNAT (the shared reconciler), and
adds what the VLAN topology has on top (two ``NetworkExtra`` parts):

- the bridge joins the firewall's isolated bridges, so a project's network
  is not routed to another's (floating IPs and VPNs excepted);
- the VPN: udp ``<public address>:<vpn_public_port>`` is DNATed to
  ``<vpn_private_address>:1194``, with the FORWARD accept (nova's
  ``ensure_vpn_forward``).  The public address is the network's own, or
  ``[vlan] vpn_ip``; a network with neither gets no forward.

What a network no longer served leaves behind is removed; after a crash,
the full pass finds it in the kernel (each extra's ``sweep``).  The bridge and its
VLAN or VXLAN device stay, as FlatDHCP's bridges do.

Each network converges or fails on its own (``DhcpNetService``): a network
whose lower device (``bridge_interface``) is missing, or whose VPN port is
already forwarded to another network, is ERROR in the admin API with the
reason, logged once, and retried on every pass; ``network modify
--bridge_interface`` repairs the first.  On a kernel without 802.1q (vlan
mode) every network would fail alike, so the pass fails with "no 802.1q
support in this kernel", logged once, and is retried at the next resync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from netservice.core import exceptions
from netservice.dhcp.assembly import PluginNetService
from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.parts import FirewallDriver
from netservice.dhcp.state import NetworkSpec

from netservice_vlan.segmentation import Segmentation

if TYPE_CHECKING:
    from netservice_vlan.plugin import VlanPlugin

LOG = logging.getLogger(__name__)

VpnKey = tuple[str, int]


def vlan_net_service(
    plugin: VlanPlugin, *, dataplane: Callable[[], HostDataPlane] | None = None
) -> PluginNetService:
    """The DHCP reconciler with VLAN's link part and its two extras.

    ``dataplane`` builds the drivers (default: from ``[linux]``; tests pass
    fakes).  A bad ``[vlan]`` setting raises ConfigurationError now, so the
    daemon stops at start-up.
    """
    return PluginNetService(
        plugin,
        dataplane=dataplane,
        l2=Segmentation.from_config(plugin.config),
        extras=(BridgeIsolation(), VpnForwards(plugin.config.vpn_ip or None)),
    )


class BridgeIsolation:
    """Each network's bridge joins the firewall's isolated bridges."""

    def __init__(self) -> None:
        self._bridges: dict[str, str] = {}

    def apply(self, firewall: FirewallDriver, spec: NetworkSpec) -> None:
        firewall.isolate_bridge(spec.bridge)
        self._bridges[spec.key] = spec.bridge

    def remove(self, firewall: FirewallDriver, key: str) -> None:
        bridge = self._bridges.pop(key, None)
        if bridge is not None:
            firewall.unisolate_bridge(bridge)

    def sweep(self, firewall: FirewallDriver, specs: Sequence[NetworkSpec]) -> None:
        keys = {spec.key for spec in specs}
        for key in [k for k in self._bridges if k not in keys]:
            del self._bridges[key]
        for bridge in sorted(firewall.isolated_bridges() - {spec.bridge for spec in specs}):
            firewall.unisolate_bridge(bridge)


class VpnForwards:
    """The VPN DNAT of each network that has one; ``vpn_ip`` is ``[vlan] vpn_ip``."""

    def __init__(self, vpn_ip: str | None) -> None:
        self.vpn_ip = vpn_ip
        self._vpns: dict[str, VpnKey] = {}

    def vpn_of(self, spec: NetworkSpec) -> tuple[str, int, str] | None:
        """``(public address, port, VPN address)`` of the network, or None."""
        public = spec.vpn_public_address or self.vpn_ip
        if not (public and spec.vpn_public_port and spec.vpn_private_address):
            return None
        return public, int(spec.vpn_public_port), spec.vpn_private_address

    def apply(self, firewall: FirewallDriver, spec: NetworkSpec) -> None:
        vpn = self.vpn_of(spec)
        old = self._vpns.get(spec.key)
        if old is not None and (vpn is None or old != vpn[:2]):
            firewall.remove_vpn(*old)
            del self._vpns[spec.key]
        if vpn is None:
            return
        public, port, private = vpn
        owner = next(
            (k for k, v in self._vpns.items() if v == (public, port) and k != spec.key), None
        )
        if owner is not None:
            # The network itself is served; the reconciler reports it ERROR
            # (logged once, shown to admins) until one of the two moves.
            raise exceptions.Conflict(
                reason=f"VPN {public}:{port} is already forwarded to network {owner}; "
                "not forwarding it (vpn change moves one)"
            )
        firewall.ensure_vpn(public, port, private)
        self._vpns[spec.key] = (public, port)

    def remove(self, firewall: FirewallDriver, key: str) -> None:
        vpn = self._vpns.pop(key, None)
        if vpn is not None:
            firewall.remove_vpn(*vpn)

    def sweep(self, firewall: FirewallDriver, specs: Sequence[NetworkSpec]) -> None:
        keys = {spec.key for spec in specs}
        for key in [k for k in self._vpns if k not in keys]:
            del self._vpns[key]
        wanted = set(self._vpns.values())
        for public, port in sorted(set(firewall.vpn_forwards()) - wanted):
            LOG.info("removing the VPN forward of %s:%s, which no network wants", public, port)
            firewall.remove_vpn(public, port)
