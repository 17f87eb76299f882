"""What a network of a plugin built on ``netservice.networks`` claims in the registry.

- its fixed ranges (IPv4 and IPv6); its gateways only when outside them (an
  address inside the range is already held with it);
- its bridge, on every host that serves it: shared by the plugin's networks
  where the topology puts them all on one bridge (Flat, FlatDHCP), the
  network's alone where a bridge is a segment (VLAN);
- its VLAN id on its interface, or its VNI on its underlay (VXLAN);
- its VPN's public endpoint (address, udp, port), when the address is known:
  the network's own (``vpn change``) or the topology's ``vpn_ip``.
"""

from __future__ import annotations

from typing import Any

import netaddr

from netservice.core.registry import Claim
from netservice.core.registry import claims as build
from netservice.ipam.numbering import MAX_VLAN
from netservice.networks.topology import Topology


def network_claims(topology: Topology, row: Any) -> list[Claim]:
    """The claims of one network row (ORM object or Core row of the network table)."""
    owner, network_id = topology.name, row.id
    found: list[Claim] = []
    for cidr, gw in ((row.cidr, row.gateway), (row.cidr_v6, row.gateway_v6)):
        if not cidr:
            continue
        found.append(build.fixed_range(owner, network_id, cidr))
        if gw and netaddr.IPAddress(gw) not in netaddr.IPNetwork(cidr):
            found.append(build.gateway(owner, network_id, gw))
    found += l2_claims(topology, row)
    found += vpn_claims(topology, row)
    return found


def l2_claims(topology: Topology, row: Any) -> list[Claim]:
    """The network's bridge and its VLAN id or VNI."""
    owner, network_id = topology.name, row.id
    found: list[Claim] = []
    vlan_mode = topology.planner.vlan
    if row.bridge:
        found.append(build.bridge(owner, network_id, row.bridge, shared=not vlan_mode))
    if vlan_mode and row.vlan is not None:
        vxlan = topology.planner.max_vlan > MAX_VLAN
        found.append(build.segment(owner, network_id, row.vlan, row.bridge_interface, vxlan=vxlan))
    return found


def vpn_claims(topology: Topology, row: Any) -> list[Claim]:
    """The network's VPN endpoint, when it has a port and an address is known."""
    address = getattr(row, "vpn_public_address", None) or topology.vpn_ip
    port = getattr(row, "vpn_public_port", None)
    if not topology.planner.vlan or port is None or not address:
        return []
    return [build.vpn_endpoint(topology.name, row.id, address, int(port))]
