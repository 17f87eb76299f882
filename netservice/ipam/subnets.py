"""Sizing and carving the subnets of ``network create``.

How many addresses each planned network gets, and which consecutive free
subnets of the requested IPv4 and IPv6 ranges hold them, skipping the cidrs
existing networks already use.  Pure functions for ``netservice.ipam.planner``;
they raise NetworkRangeTooSmall (400) or CidrConflict (409) naming what does
not fit, and InvalidInput naming the field for a bad ``network_size``.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import netaddr

from netservice.core import exceptions
from netservice.ipam.exceptions import CidrConflict, NetworkRangeTooSmall
from netservice.ipam.values import positive_int

DEFAULT_SIZE_CAP = 256
MIN_V4_SIZE = 4  # network, gateway, one address and broadcast
LONGEST_V6_PREFIX = 64  # SLAAC/EUI-64 needs a /64


def network_size(
    value: int | str | None, cidr: netaddr.IPNetwork | None, num: int, warnings: list[str]
) -> int:
    """Addresses per network: ``value``, or the range divided by ``num``, capped.

    One nova bug is not copied: with ``network_size`` missing, nova took the
    whole range as one network's size and so refused "/24 with 2 networks".
    Here the size is the range divided by ``num_networks``, capped at 256; the
    cap appends a message to ``warnings``.
    """
    if value is not None:
        size = positive_int(value, "network_size")
        if cidr is not None and size < MIN_V4_SIZE:
            raise exceptions.InvalidInput(
                field="network_size", reason=f"must be at least {MIN_V4_SIZE}, got {size}"
            )
        return size
    whole = cidr.size // num if cidr is not None else DEFAULT_SIZE_CAP
    if whole > DEFAULT_SIZE_CAP:
        message = (
            f"network_size not given: {cidr} / {num} network(s) is {whole} addresses, "
            f"capped at {DEFAULT_SIZE_CAP}"
        )
        warnings.append(message)
        return DEFAULT_SIZE_CAP
    if cidr is not None and whole < MIN_V4_SIZE:
        raise NetworkRangeTooSmall(
            field="num_networks", reason=f"{cidr} cannot hold {num} networks of {MIN_V4_SIZE}"
        )
    return 1 << int(math.log2(whole)) if whole else 1


def carve_v4(
    cidr: netaddr.IPNetwork, size: int, num: int, used: Collection[str]
) -> list[netaddr.IPNetwork]:
    """``num`` free IPv4 subnets of ``size`` (rounded up to a power of two) in ``cidr``."""
    bits = math.ceil(math.log2(size))
    if size > cidr.size or num * (1 << bits) > cidr.size:
        raise NetworkRangeTooSmall(
            field="num_networks" if size <= cidr.size else "network_size",
            reason=f"{cidr} holds {cidr.size} addresses, {num} network(s) of "
            f"{1 << bits} need {num * (1 << bits)}",
        )
    return carve(cidr, 32 - bits, num, used)


def carve_v6(
    cidr_v6: netaddr.IPNetwork, size: int, num: int, used: Collection[str]
) -> list[netaddr.IPNetwork]:
    """``num`` free IPv6 subnets in ``cidr_v6``, as long as ``size`` needs but at most /64."""
    bits = math.ceil(math.log2(size))
    prefix_v6 = min(128 - bits, LONGEST_V6_PREFIX)
    if prefix_v6 < cidr_v6.prefixlen or num > 1 << (prefix_v6 - cidr_v6.prefixlen):
        raise NetworkRangeTooSmall(
            field="fixed_range_v6",
            reason=f"{cidr_v6} cannot hold {num} /{prefix_v6} network(s)",
        )
    return carve(cidr_v6, prefix_v6, num, used)


def carve(
    whole: netaddr.IPNetwork, prefix: int, count: int, used: Collection[str]
) -> list[netaddr.IPNetwork]:
    """``count`` consecutive free subnets of ``/prefix`` from the start of ``whole``.

    A subnet that is used, or holds a smaller used cidr, moves on to the next
    free one inside ``whole``; one inside a larger used cidr, or with no room
    left, raises CidrConflict naming the used cidr.
    """
    taken = [netaddr.IPNetwork(c) for c in used]
    taken = [t for t in taken if t.version == whole.version]
    found: list[netaddr.IPNetwork] = []
    candidate = netaddr.IPNetwork(f"{whole.network}/{prefix}")
    planned = candidate  # what nova's message names: the subnet the plan asked for
    last_blocker: netaddr.IPNetwork | None = None
    while len(found) < count:
        if candidate.first > whole.last:
            raise CidrConflict(cidr=str(planned), other=str(last_blocker or whole))
        blocker = next((t for t in taken if overlaps(t, candidate)), None)
        if blocker is None:
            found.append(candidate)
            taken.append(candidate)
            planned = netaddr.IPNetwork(f"{netaddr.IPAddress(planned.last + 1)}/{prefix}")
        elif blocker.prefixlen < candidate.prefixlen:
            raise CidrConflict(cidr=str(candidate), other=str(blocker))
        else:
            last_blocker = blocker
        candidate = netaddr.IPNetwork(f"{netaddr.IPAddress(candidate.last + 1)}/{prefix}")
        if candidate.first == 0:  # wrapped past the top of the address space
            raise CidrConflict(cidr=str(whole), other=str(last_blocker or whole))
    return found


def overlaps(a: netaddr.IPNetwork, b: netaddr.IPNetwork) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)
