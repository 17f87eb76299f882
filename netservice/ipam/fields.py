"""Checking the per-network fields of a ``network create`` request.

The label, the uuid, the IPv4 addresses that must sit inside a network's
subnet (gateway, allowed range, fixed cidr), the IPv6 gateway, and the bridge
and bridge interface with their topology defaults.  Pure functions for
``netservice.ipam.planner``; each raises InvalidInput naming the field.
"""

from __future__ import annotations

import uuid as uuidlib

import netaddr

from netservice.core import exceptions
from netservice.ipam import ranges
from netservice.ipam.plans import NetworkRequest, Topology
from netservice.ipam.values import bridge_name, ip_address, ipv4_network

MAX_LABEL = 255


def label(value: str | None) -> str:
    """The network label: required, at most ``MAX_LABEL`` characters."""
    if value is None or not str(value).strip():
        raise exceptions.InvalidInput(field="label", reason="is required")
    if len(value) > MAX_LABEL:
        raise exceptions.InvalidInput(
            field="label", reason=f"must be at most {MAX_LABEL} characters, got {len(value)}"
        )
    return value


def v4_fields(
    request: NetworkRequest, subnet: netaddr.IPNetwork, *, vlan_mode: bool
) -> dict[str, str | None]:
    """The IPv4 columns of the network on ``subnet``, checked against it."""

    def inside(value: str | None, field: str) -> str | None:
        if not value:
            return None
        address = ip_address(value, field)
        if netaddr.IPAddress(address) not in subnet:
            raise exceptions.InvalidInput(
                field=field, reason=f"{address} is outside cidr {subnet}"
            )
        return address

    gateway = inside(request.gateway, "gateway") or str(subnet[1])
    if int(netaddr.IPAddress(gateway)) in (subnet.first, subnet.last):
        raise exceptions.InvalidInput(
            field="gateway", reason=f"{gateway} is the network or broadcast address of {subnet}"
        )
    allowed_start = inside(request.allowed_start, "allowed_start")
    allowed_end = inside(request.allowed_end, "allowed_end")
    if allowed_start and allowed_end and ranges.to_int(allowed_start) > ranges.to_int(allowed_end):
        raise exceptions.InvalidInput(
            field="allowed_start", reason=f"{allowed_start} is after allowed_end {allowed_end}"
        )
    fixed_cidr = None
    if request.fixed_cidr:
        sub = ipv4_network(request.fixed_cidr, "fixed_cidr")
        if sub not in subnet:
            raise exceptions.InvalidInput(
                field="fixed_cidr", reason=f"{sub} is outside cidr {subnet}"
            )
        fixed_cidr = str(sub)
    fields: dict[str, str | None] = {
        "cidr": str(subnet),
        "netmask": str(subnet.netmask),
        "gateway": gateway,
        "broadcast": str(subnet.broadcast),
        "dhcp_start": str(subnet[3] if vlan_mode else subnet[2]),
        "fixed_cidr": fixed_cidr,
        "allowed_start": allowed_start,
        "allowed_end": allowed_end,
        "vpn_private_address": str(subnet[2]) if vlan_mode else None,
    }
    alloc = ranges.allocation_range(
        str(subnet), fixed_cidr=fixed_cidr, allowed_start=allowed_start, allowed_end=allowed_end
    )
    if alloc.size == 0:
        raise exceptions.InvalidInput(
            field="allowed_start", reason=f"leaves no allocatable address in {subnet}"
        )
    return fields


def gateway_v6(value: str | None, subnet: netaddr.IPNetwork | None) -> str | None:
    """The IPv6 gateway: ``value`` inside ``subnet``, or its first address."""
    if subnet is None:
        return None
    if not value:
        return str(subnet[1])
    address = ip_address(value, "gateway_v6")
    if netaddr.IPAddress(address) not in subnet:
        raise exceptions.InvalidInput(
            field="gateway_v6", reason=f"{address} is outside cidr {subnet}"
        )
    return address


def uuid(value: str | None, num: int) -> str | None:
    """The ``--uuid`` given, normalised; it applies to one network only."""
    if not value:
        return None
    try:
        parsed = str(uuidlib.UUID(value))
    except ValueError as err:
        raise exceptions.InvalidInput(field="uuid", reason=f"{value!r} is not a UUID") from err
    if num != 1:
        raise exceptions.InvalidInput(field="uuid", reason="applies to one network only")
    return parsed


def bridge(value: str | None, topology: Topology, vlan: int | None) -> str | None:
    """The bridge: as given, ``br<vlan>`` in the VLAN topology, or the default."""
    if value:
        return bridge_name(value, "bridge")
    if topology.vlan and vlan is not None:
        return f"br{vlan}"
    if topology.default_bridge is None:
        raise exceptions.InvalidInput(field="bridge", reason="is required")
    return topology.default_bridge


def bridge_interface(value: str | None, topology: Topology) -> str | None:
    """The bridge interface: as given, or the default (required for VLAN)."""
    if value:
        return bridge_name(value, "bridge_interface")
    if topology.vlan and not topology.default_bridge_interface:
        raise exceptions.InvalidInput(
            field="bridge_interface", reason="is required (or set vlan_interface)"
        )
    return topology.default_bridge_interface or None
