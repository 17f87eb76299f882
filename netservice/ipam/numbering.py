"""VLAN ids and VPN ports for the networks of one ``network create``.

In the VLAN topology every network gets its own 802.1q id (or, segmented
with VXLAN, its VNI), either the one ``--vlan`` names or the next free ones
from ``--vlan_start``, and a public VPN port counted up from ``--vpn_start``,
skipping ports other networks already have; the other topologies get
neither.  Pure functions for ``netservice.ipam.planner``; they raise
InvalidInput naming the field, or DuplicateVlan (409).
"""

from __future__ import annotations

from collections.abc import Collection

from netservice.core import exceptions
from netservice.ipam.exceptions import DuplicateVlan
from netservice.ipam.plans import NetworkRequest, Topology
from netservice.ipam.values import positive_int

MAX_VLAN = 4094
MAX_VNI = 16_777_215
MAX_PORT = 65535


def vlans(
    request: NetworkRequest, topology: Topology, num: int, used: Collection[int]
) -> list[int]:
    """One free VLAN id per network, or none outside the VLAN topology.

    Ids run up to ``topology.max_vlan``: 4094 for 802.1q, more for VXLAN.
    """
    if not topology.vlan:
        return []
    top = topology.max_vlan
    taken = set(used)
    if request.vlan is not None:
        vlan = positive_int(request.vlan, "vlan")
        if vlan > top:
            raise exceptions.InvalidInput(field="vlan", reason=f"must be 1..{top}, got {vlan}")
        if num != 1:
            raise exceptions.InvalidInput(field="vlan", reason="applies to one network only")
        if vlan in taken:
            raise DuplicateVlan(vlan=vlan, network="another network")
        return [vlan]
    start = positive_int(request.vlan_start, "vlan_start", default=100)
    if start > top or num + start > top:
        raise exceptions.InvalidInput(
            field="vlan_start",
            reason=f"num_networks {num} + vlan_start {start} exceeds {top}",
        )
    found: list[int] = []
    candidate = start
    for _ in range(num):
        while candidate in taken:
            candidate += 1
        if candidate > top:
            raise exceptions.InvalidInput(
                field="vlan_start", reason=f"no free VLAN left between {start} and {top}"
            )
        found.append(candidate)
        taken.add(candidate)
        candidate += 1
    return found


def vpn_ports(
    request: NetworkRequest, topology: Topology, num: int, used: Collection[int] = ()
) -> list[int | None]:
    """The public VPN port of each network: ``vpn_start`` + index, VLAN topology only.

    A port another network already has is skipped, as a used VLAN is: two
    networks on one port could not both be forwarded to their VPN.
    ``vpn_start`` is checked in every topology, even where no port is given out.
    """
    vpn_start = positive_int(request.vpn_start, "vpn_start", default=1000)
    if not topology.vlan:
        return [None] * num
    taken = set(used)
    found: list[int | None] = []
    candidate = vpn_start
    for _ in range(num):
        while candidate in taken:
            candidate += 1
        if candidate > MAX_PORT:
            raise exceptions.InvalidInput(
                field="vpn_start",
                reason=f"no free VPN port left between {vpn_start} and {MAX_PORT}",
            )
        found.append(candidate)
        taken.add(candidate)
        candidate += 1
    return found
