"""A network's allocatable range and its reserved addresses.

Addresses are handled as integers: rows store one for ordering and range
queries, and never-used addresses are found by arithmetic on the network's
cursor rather than by rows.
"""

from __future__ import annotations

import dataclasses

import netaddr

from netservice.core import exceptions

FIXED_CIDR_BOTTOM = 2
"""Addresses at the bottom of ``fixed_cidr`` never handed out (nova: its "network, gateway")."""
FIXED_CIDR_TOP = 1
"""Addresses at the top of ``fixed_cidr`` never handed out (nova: its "broadcast")."""


@dataclasses.dataclass(frozen=True)
class AllocationRange:
    """The addresses the allocator may hand out, first and last included."""

    first: int
    last: int

    @property
    def size(self) -> int:
        return max(0, self.last - self.first + 1)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.first <= value <= self.last

    def describe(self) -> tuple[str, str]:
        """The first and last address as text (for messages)."""
        return str(netaddr.IPAddress(self.first)), str(netaddr.IPAddress(self.last))


def to_int(address: str, field: str = "address") -> int:
    """An IPv4 address as an integer; InvalidInput naming ``field`` otherwise."""
    try:
        ip = netaddr.IPAddress(address)
    except (netaddr.AddrFormatError, ValueError, TypeError) as err:
        raise exceptions.InvalidInput(
            field=field, reason=f"{address!r} is not an IP address"
        ) from err
    if ip.version != 4:
        raise exceptions.InvalidInput(field=field, reason=f"{address} is not an IPv4 address")
    return int(ip)


def to_text(value: int) -> str:
    return str(netaddr.IPAddress(value, 4))


def allocation_range(
    cidr: str,
    *,
    fixed_cidr: str | None = None,
    allowed_start: str | None = None,
    allowed_end: str | None = None,
) -> AllocationRange:
    """The host addresses of ``cidr``, narrowed by ``fixed_cidr`` and the allowed bounds.

    The network and broadcast addresses are never allocatable, so they are
    outside the range whatever the bounds say.  Of ``fixed_cidr`` the first
    ``FIXED_CIDR_BOTTOM`` and the last ``FIXED_CIDR_TOP`` addresses are left
    out too, as nova never handed them out.  Pure; the planner has already
    checked that the bounds lie inside the cidr.
    """
    net = netaddr.IPNetwork(cidr)
    first, last = net.first + 1, net.last - 1
    if net.prefixlen >= 31:
        # RFC 3021 point-to-point links have no network/broadcast address.
        first, last = net.first, net.last
    if fixed_cidr:
        sub = netaddr.IPNetwork(fixed_cidr)
        first = max(first, sub.first + FIXED_CIDR_BOTTOM)
        last = min(last, sub.last - FIXED_CIDR_TOP)
    if allowed_start:
        first = max(first, to_int(allowed_start, "allowed_start"))
    if allowed_end:
        last = min(last, to_int(allowed_end, "allowed_end"))
    return AllocationRange(first, last)


def reserved_addresses(
    cidr: str,
    *,
    gateway: str | None,
    dhcp_server: str | None,
    vpn_private_address: str | None = None,
    cnt_vpn_clients: int = 0,
) -> list[int]:
    """The addresses a new network reserves, sorted and without duplicates.

    The network address, the gateway, the DHCP server, the broadcast address,
    and for VLAN the VPN address and ``cnt_vpn_clients`` addresses below the
    broadcast.  Each gets one row, so the count is small whatever the size.
    """
    net = netaddr.IPNetwork(cidr)
    found = {net.first, net.last}
    for address in (gateway, dhcp_server, vpn_private_address):
        if address and netaddr.IPAddress(address) in net:
            found.add(int(netaddr.IPAddress(address)))
    for offset in range(1, cnt_vpn_clients + 1):
        if net.last - offset > net.first:
            found.add(net.last - offset)
    return sorted(found)
