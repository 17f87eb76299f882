"""VLAN ids and VPN ports for the networks of one ``network create``.

In the VLAN topology every network gets its own 802.1q id, either the one
``--vlan`` names or the next free ones from ``--vlan_start``, and a public
VPN port counted up from ``--vpn_start``; the other topologies get neither.
Pure functions for ``netservice.ipam.planner``; they raise InvalidInput
naming the field, or DuplicateVlan (409).
"""

from __future__ import annotations

from collections.abc import Collection

from netservice.core import exceptions
from netservice.ipam.exceptions import DuplicateVlan
from netservice.ipam.plans import NetworkRequest, Topology
from netservice.ipam.values import positive_int

MAX_VLAN = 4094


def vlans(
    request: NetworkRequest, topology: Topology, num: int, used: Collection[int]
) -> list[int]:
    """One free VLAN id per network, or none outside the VLAN topology."""
    if not topology.vlan:
        return []
    taken = set(used)
    if request.vlan is not None:
        vlan = positive_int(request.vlan, "vlan")
        if vlan > MAX_VLAN:
            raise exceptions.InvalidInput(
                field="vlan", reason=f"must be 1..{MAX_VLAN}, got {vlan}"
            )
        if num != 1:
            raise exceptions.InvalidInput(field="vlan", reason="applies to one network only")
        if vlan in taken:
            raise DuplicateVlan(vlan=vlan, network="another network")
        return [vlan]
    start = positive_int(request.vlan_start, "vlan_start", default=100)
    if start > MAX_VLAN or num + start > MAX_VLAN:
        raise exceptions.InvalidInput(
            field="vlan_start",
            reason=f"num_networks {num} + vlan_start {start} exceeds {MAX_VLAN}",
        )
    found: list[int] = []
    candidate = start
    for _ in range(num):
        while candidate in taken:
            candidate += 1
        if candidate > MAX_VLAN:
            raise exceptions.InvalidInput(
                field="vlan_start", reason=f"no free VLAN left between {start} and {MAX_VLAN}"
            )
        found.append(candidate)
        taken.add(candidate)
        candidate += 1
    return found


def vpn_ports(request: NetworkRequest, topology: Topology, num: int) -> list[int | None]:
    """The public VPN port of each network: ``vpn_start`` + index, VLAN topology only.

    ``vpn_start`` is checked in every topology, even where no port is given out.
    """
    vpn_start = positive_int(request.vpn_start, "vpn_start", default=1000)
    return [vpn_start + index if topology.vlan else None for index in range(num)]
