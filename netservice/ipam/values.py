"""Checks for single option values; each raises InvalidInput naming its field."""

from __future__ import annotations

import re

import netaddr

from netservice.core import exceptions

_IFNAME = re.compile(r"^[A-Za-z0-9_.:-]{1,15}$")
MAX_INT = 2**31 - 1  # the database's INTEGER columns
_TRUE = {"t", "true", "yes", "y", "1", "on"}
# Where no fixed range can be: "this network", loopback, multicast and the
# reserved block up to the limited broadcast; v6's unspecified, loopback and
# IPv4-mapped space (all in ::/8), and multicast.  A range that overlaps one,
# such as 0.0.0.0/0 or ::/0, makes no sense for instances.
_SPECIAL = {
    4: [netaddr.IPNetwork(n) for n in ("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/3")],
    6: [netaddr.IPNetwork(n) for n in ("::/8", "ff00::/8")],
}
_FALSE = {"f", "false", "no", "n", "0", "off"}


def positive_int(value: int | str | None, field: str, *, default: int | None = None) -> int:
    """``value`` as an int of at least 1; the default when None."""
    if value is None:
        if default is None:
            raise exceptions.InvalidInput(field=field, reason="is required")
        return default
    if isinstance(value, bool):
        raise exceptions.InvalidInput(field=field, reason=f"must be a number, got {value!r}")
    try:
        number = int(str(value).strip())
    except ValueError as err:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be a positive integer, got {value!r}"
        ) from err
    if not 1 <= number <= MAX_INT:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be an integer from 1 to {MAX_INT}, got {number}"
        )
    return number


def flag(value: bool | str | None, field: str, *, default: bool) -> bool:
    """nova-manage's ``T``/``F`` (and the usual spellings) as a bool."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise exceptions.InvalidInput(field=field, reason=f"must be T or F, got {value!r}")


def ip_address(value: str, field: str) -> str:
    try:
        return str(netaddr.IPAddress(str(value).strip()))
    except (netaddr.AddrFormatError, ValueError) as err:
        raise exceptions.InvalidInput(
            field=field, reason=f"{value!r} is not an IP address"
        ) from err


def _network(value: str, field: str, version: int) -> netaddr.IPNetwork:
    try:
        net = netaddr.IPNetwork(str(value).strip())
    except (netaddr.AddrFormatError, ValueError) as err:
        raise exceptions.InvalidInput(field=field, reason=f"{value!r} is not a CIDR") from err
    if net.version != version:
        raise exceptions.InvalidInput(field=field, reason=f"{value} is not an IPv{version} CIDR")
    for special in _SPECIAL[version]:
        if net.first <= special.last and special.first <= net.last:
            raise exceptions.InvalidInput(
                field=field,
                reason=f"{net.cidr} overlaps {special}, which cannot hold instances' addresses",
            )
    return net.cidr


def ipv4_network(value: str, field: str) -> netaddr.IPNetwork:
    """A normalised IPv4 CIDR (host bits cleared)."""
    return _network(value, field, 4)


def ipv6_network(value: str, field: str) -> netaddr.IPNetwork:
    return _network(value, field, 6)


def bridge_name(value: str, field: str) -> str:
    """A Linux interface name: 1-15 characters, no '/' or spaces."""
    if not _IFNAME.match(value):
        raise exceptions.InvalidInput(
            field=field, reason=f"{value!r} is not an interface name (1-15 of A-Z a-z 0-9 _ . : -)"
        )
    return value
