"""The host-side parts a DHCP plugin is assembled from: L2 and the firewall driver.

Each is a Protocol: what the net-service (``netservice.dhcp.service``) and
the compute agent (``netservice.dhcp.agent``) ask of it, with the contract
every implementation keeps.  The DHCP driver is ``netservice.dhcp.driver``'s
``DhcpDriver``; the service-side parts (addressing, floating IPs, VPNs) are
in ``netservice.networks.parts``.

- ``L2Segment``: how a network's bridge comes to be on a host.
  ``CreatedBridge`` (FlatDHCP) makes a bridge and enslaves the network's
  interface; VLAN's ``Segmentation`` makes it over an 802.1q or VXLAN
  device.  An operator's bridge (Flat) is only checked, by Flat's agent.
- ``FirewallDriver``: anti-spoofing, NAT and isolation on one host;
  ``netservice.linux.firewall.Firewall`` (nftables) is the one today.
- ``NetworkExtra``: what a topology adds to each network on its network
  host beyond the link, DHCP and SNAT.  VLAN has two, bridge isolation and
  the VPN forward (``netservice_vlan.net_service``); FlatDHCP has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from netservice.linux.links import Links

if TYPE_CHECKING:
    from netservice.dhcp.state import NetworkSpec


@runtime_checkable
class L2Segment(Protocol):
    """Makes one network's bridge on this host.  Idempotent.

    ``vlan`` is the network's vlan id (a VNI in VXLAN mode; None for a
    topology without segments); ``interface`` its ``bridge_interface``;
    ``gateway_address`` the address the network host puts first on the
    bridge (a compute host passes None: it only switches).  Raises
    ConfigurationError for a setting it cannot work with, LinkNotFound when
    the lower device is missing, LinkError when the kernel refuses; the
    net-service records the error on that network alone.
    """

    def ensure(
        self,
        links: Links,
        *,
        vlan: int | None,
        bridge: str,
        interface: str | None,
        gateway_address: str | None = None,
    ) -> None:
        """Make ``bridge`` (and whatever it sits on) with ``gateway_address`` first on it."""
        ...


class CreatedBridge:
    """The L2 part of FlatDHCP: a bridge with the network's interface enslaved, no segment."""

    def ensure(
        self,
        links: Links,
        *,
        vlan: int | None,
        bridge: str,
        interface: str | None,
        gateway_address: str | None = None,
    ) -> None:
        links.ensure_bridge(bridge, interface=interface, gateway_address=gateway_address)


@runtime_checkable
class FirewallDriver(Protocol):
    """NAT, floating IPs, VPN forwards, isolation and anti-spoofing for one host.

    Every method is idempotent (absent is fine for removals) and applies
    its change atomically; the first call of any of them also applies the
    driver's base state.  All raise InvalidInput for bad arguments and a
    data-plane error (NftBatchFailed, LinkNotFound) when the host refuses.
    The readers (``floating_bindings``, ``vpn_forwards``, ``network_ids``,
    ``isolated_bridges``) read the host's state now, so a reconciler can
    drop what a crashed predecessor left; they are empty before any change.
    """

    def ensure_base(self) -> None:
        """(Re)apply the base state; what the other methods added is kept."""
        ...

    def ensure_network(self, network_id: str, cidr: str) -> None:
        """SNAT ``cidr`` out of the public interface."""
        ...

    def remove_network(self, network_id: str, cidr: str | None = None) -> None:
        """Undo ``ensure_network``; without ``cidr`` the driver finds it."""
        ...

    def network_ids(self) -> set[str]:
        """The networks with SNAT now."""
        ...

    def bind_floating_ip(self, floating: str, fixed: str) -> None:
        """Send ``floating`` to ``fixed`` and SNAT ``fixed`` to it; a binding elsewhere moves."""
        ...

    def unbind_floating_ip(self, floating: str, fixed: str) -> None:
        """Undo ``bind_floating_ip`` and forget ``fixed``'s tracked connections."""
        ...

    def floating_bindings(self) -> dict[str, str]:
        """The floating IPs bound now, as ``{floating: fixed}``."""
        ...

    def flush_conntrack(self, fixed: str) -> None:
        """Forget tracked connections from or to ``fixed``."""
        ...

    def ensure_vpn(self, public: str, port: int, private: str) -> None:
        """Forward udp ``public``:``port`` to ``private``:1194 (a project's VPN)."""
        ...

    def remove_vpn(self, public: str, port: int) -> None:
        """Undo ``ensure_vpn``."""
        ...

    def vpn_forwards(self) -> dict[tuple[str, int], str]:
        """The VPN forwards now, as ``{(public, port): private}``."""
        ...

    def isolate_bridge(self, bridge: str) -> None:
        """Stop routing between ``bridge`` and the host's other networks (DNAT excepted)."""
        ...

    def unisolate_bridge(self, bridge: str) -> None:
        """Undo ``isolate_bridge``."""
        ...

    def isolated_bridges(self) -> set[str]:
        """The bridges isolated now."""
        ...

    def ensure_vnic(self, port: str, mac: str, ips: Sequence[str]) -> None:
        """Anti-spoofing: only ``mac`` and ``ips`` leave bridge port ``port`` (DHCP allowed)."""
        ...

    def remove_vnic(self, port: str) -> None:
        """Undo ``ensure_vnic``."""
        ...

    def remove_all(self) -> None:
        """Remove everything the driver made on this host."""
        ...


@runtime_checkable
class NetworkExtra(Protocol):
    """Something a topology adds to each network on its network host, with the firewall.

    The net-service (``netservice.dhcp.service``) calls the extras in the
    order the plugin lists them, under its lock, from one thread:

    - ``apply`` at the end of each whole-network converge, and again when
      the network's settings change.  Idempotent.  Raising marks that one
      network ERROR (logged once, shown to admins) and the next pass
      converges it again; the other networks go on.
    - ``remove`` for a network this host no longer serves.  ``key`` is
      ``NetworkSpec.key``; the spec itself may be gone, so the extra keeps
      what it needs to undo, or finds it in the kernel.  Absent is fine.
    - ``sweep`` after each full pass, with every network served now: drop
      what the kernel holds for any other network, which is how what a
      crashed predecessor left behind goes.
    """

    def apply(self, firewall: FirewallDriver, spec: NetworkSpec) -> None:
        """Add the extra for the network ``spec``."""
        ...

    def remove(self, firewall: FirewallDriver, key: str) -> None:
        """Undo ``apply`` for the network ``key``."""
        ...

    def sweep(self, firewall: FirewallDriver, specs: Sequence[NetworkSpec]) -> None:
        """Remove what no network in ``specs`` wants."""
        ...
