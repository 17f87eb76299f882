"""Checking the per-network fields of a ``network create`` request.

The label, the uuid, the IPv4 addresses that must sit inside a network's
subnet (gateway, allowed range, fixed cidr), the IPv6 gateway, and the bridge
and bridge interface with their topology defaults.  Pure functions for
``netservice.ipam.planner``; each raises InvalidInput naming the field.
"""

from __future__ import annotations

import uuid as uuidlib

import netaddr

from netservice.core import exceptions, validation
from netservice.ipam import layout, ranges
from netservice.ipam.plans import NetworkRequest, Topology
from netservice.ipam.values import bridge_name, ip_address, ipv4_network

MAX_LABEL = validation.MAX_LABEL


def label(value: str | None) -> str:
    """The network label: required, at most ``MAX_LABEL`` characters, printable."""
    return validation.label(value)


def v4_fields(
    request: NetworkRequest,
    subnet: netaddr.IPNetwork,
    *,
    vlan_mode: bool,
    cnt_vpn_clients: int = 0,
) -> dict[str, str | None]:
    """The IPv4 columns of the network on ``subnet``, checked against it.

    The gateway, VPN address and ``dhcp_start`` follow ``layout``'s rules;
    ``allowed_start`` moves them.  A request whose ``allowed_start``,
    ``allowed_end`` or ``fixed_cidr`` leaves no address to hand out once
    those are reserved is refused, naming the option.
    """

    def inside(value: str | None, field: str) -> str | None:
        if not value:
            return None
        address = ip_address(value, field)
        if netaddr.IPAddress(address) not in subnet:
            raise exceptions.InvalidInput(
                field=field, reason=f"{address} is outside cidr {subnet}"
            )
        return address

    given_gateway = inside(request.gateway, "gateway")
    if given_gateway and int(netaddr.IPAddress(given_gateway)) in (subnet.first, subnet.last):
        raise exceptions.InvalidInput(
            field="gateway",
            reason=f"{given_gateway} is the network or broadcast address of {subnet}",
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
    where = layout.v4_layout(
        subnet, gateway=given_gateway, allowed_start=allowed_start, vlan=vlan_mode
    )
    fields: dict[str, str | None] = {
        "cidr": str(subnet),
        "netmask": str(subnet.netmask),
        "gateway": where.gateway,
        "broadcast": str(subnet.broadcast),
        "dhcp_start": where.dhcp_start,
        "fixed_cidr": fixed_cidr,
        "allowed_start": allowed_start,
        "allowed_end": allowed_end,
        "vpn_private_address": where.vpn_private_address,
    }
    narrowed_by = (
        "allowed_start"
        if allowed_start
        else "allowed_end"
        if allowed_end
        else "fixed_cidr"
        if fixed_cidr
        else None
    )
    if narrowed_by is not None:
        _check_room(fields, narrowed_by, cnt_vpn_clients)
    return fields


def _check_room(fields: dict[str, str | None], field: str, cnt_vpn_clients: int) -> None:
    """Refuse a narrowed range that holds nothing but reserved addresses."""
    cidr = str(fields["cidr"])
    alloc = ranges.allocation_range(
        cidr,
        fixed_cidr=fields["fixed_cidr"],
        allowed_start=fields["allowed_start"],
        allowed_end=fields["allowed_end"],
    )
    reserved = ranges.reserved_addresses(
        cidr,
        gateway=fields["gateway"],
        dhcp_server=fields["gateway"],
        vpn_private_address=fields["vpn_private_address"],
        cnt_vpn_clients=cnt_vpn_clients,
    )
    if alloc.size > sum(1 for value in reserved if value in alloc):
        return
    if alloc.size == 0:
        reason = f"leaves no allocatable address in {cidr}"
    else:
        first, last = alloc.describe()
        reason = (
            f"leaves no address to hand out in {cidr}: {first}-{last} holds only "
            "reserved addresses (gateway, VPN address, top reserve)"
        )
    raise exceptions.InvalidInput(field=field, reason=reason)


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
    if int(netaddr.IPAddress(address)) == subnet.first:
        raise exceptions.InvalidInput(
            field="gateway_v6", reason=f"{address} is the network address of {subnet}"
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
