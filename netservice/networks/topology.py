"""``Topology``: what differs between the plugins built on ``netservice.networks``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from netservice.ipam import planner
from netservice.networks.domain import Network


@dataclasses.dataclass(frozen=True)
class Topology:
    """One plugin's choices, fixed when the plugin is created from its options."""

    name: str
    """The plugin's name: policy rules are ``<name>:...`` and messages say "<name> network"."""
    free_on_unbind: bool
    """Flat frees an unbound address at once; DHCP topologies hold a leased one
    (``allocated=False``) until dnsmasq releases it or it times out."""
    planner: planner.Topology
    """Defaults of ``network create``: bridge, bridge interface, dns1, VLAN mode."""
    default_multi_host: bool = False
    """``multi_host`` of new networks when ``network create`` does not say."""
    injected: bool = False
    """The ``injected`` flag new networks get (Flat's ``flat_injected``)."""
    quota_fixed_ips: int = -1
    """Allocated fixed IPs one project may hold across the plugin's networks; -1: no limit."""
    dhcp: bool = False
    """Whether the plugin serves DHCP, so network info names a DHCP server."""
    fixed_ip_disassociate_timeout: int = 600
    """Seconds a deallocated but still leased fixed IP is held (DHCP topologies)."""
    share_dhcp_address: bool = False
    """multi_host: every host answers from the network's one DHCP address
    instead of claiming a pool address of its own."""
    vpn_ip: str | None = None
    """VLAN: the public address of VPNs whose network has none of its own (``[vlan] vpn_ip``)."""
    create_defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """VLAN: ``network create`` request fields taken from the options when the
    request leaves them out (``num_networks``, ``network_size`` ...)."""
    declaration: type[Network] = Network
    """The plugin's networks' fields: ``Network`` or a subclass adding fields
    (whose tables then have their columns, ``netservice.ipam.models.network_mixin``).
    The service returns networks of this class, ``network create`` takes its
    request fields, and the views show it."""


def flat_planner(config: Any) -> planner.Topology:
    """``network create``'s defaults from ``flat_bridge_opts``: one bridge, no VLAN."""
    return planner.Topology(
        vlan=False,
        default_bridge=config.flat_network_bridge,
        default_bridge_interface=config.flat_interface,
        default_dns1=config.flat_network_dns,
    )
