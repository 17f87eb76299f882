"""Input checks for the data plane.

Every public driver method checks its arguments here before it touches the
kernel, so a bad value fails early with an ``InvalidInput`` naming the
parameter and the rule it broke, instead of an opaque netlink errno.
"""

from __future__ import annotations

import re

import netaddr

from netservice.core.exceptions import InvalidInput

IFNAMSIZ = 15  # the kernel's IFNAMSIZ (16) minus the terminating NUL
_MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
# Names end up in nft strings, file names and argv: keep them boring.
_IFNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def mac(value: str, field: str = "mac") -> str:
    """Return ``value`` as a lower-case colon-separated MAC, or raise InvalidInput."""
    norm = str(value).strip().lower().replace("-", ":")
    if not _MAC_RE.match(norm):
        raise InvalidInput(field=field, reason=f"{value!r} is not a MAC like fa:16:3e:00:00:01")
    if int(norm[:2], 16) & 1:
        raise InvalidInput(field=field, reason=f"{value!r} is a multicast MAC")
    return norm


def ifname(value: str, field: str = "ifname") -> str:
    """Return ``value`` if it is a valid Linux interface name (1..15 chars)."""
    if not value or len(value) > IFNAMSIZ:
        raise InvalidInput(
            field=field, reason=f"{value!r} must be 1 to {IFNAMSIZ} characters long"
        )
    if not _IFNAME_RE.match(value) or value in (".", ".."):
        raise InvalidInput(
            field=field, reason=f"{value!r} may contain only letters, digits, '_', '.', '-'"
        )
    return value


def token(value: str, field: str) -> str:
    """A name used in file names and nft identifiers (network ids, namespaces)."""
    if not value or len(value) > 64 or not _TOKEN_RE.match(value):
        raise InvalidInput(
            field=field,
            reason=f"{value!r} must be 1 to 64 letters, digits, '_', '.' or '-'",
        )
    return value


def ipv4(value: str, field: str = "address") -> str:
    """Return ``value`` as a normalised dotted-quad IPv4 address."""
    try:
        return str(netaddr.IPAddress(str(value), version=4, flags=netaddr.INET_PTON))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise InvalidInput(field=field, reason=f"{value!r} is not an IPv4 address") from None


def ip(value: str, field: str = "address") -> str:
    """Return ``value`` as a normalised IPv4 or IPv6 address."""
    try:
        return str(netaddr.IPAddress(str(value), flags=netaddr.INET_PTON))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise InvalidInput(field=field, reason=f"{value!r} is not an IP address") from None


def cidr(value: str, field: str = "cidr", version: int | None = 4) -> netaddr.IPNetwork:
    """Return ``value`` as a network; a host part set (10.0.0.1/24) is refused."""
    try:
        net = netaddr.IPNetwork(str(value))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        net = None
    if net is None or "/" not in str(value):
        raise InvalidInput(field=field, reason=f"{value!r} is not a CIDR like 10.0.0.0/24")
    if version is not None and net.version != version:
        raise InvalidInput(field=field, reason=f"{value!r} is not an IPv{version} CIDR")
    if net.ip != net.network:
        raise InvalidInput(field=field, reason=f"{value!r} has host bits set; use {net.cidr}")
    return net


def interface_address(value: str, field: str = "address") -> netaddr.IPNetwork:
    """An address with its prefix, as on an interface: ``10.0.0.1/24``."""
    try:
        net = netaddr.IPNetwork(str(value))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        net = None
    if net is None or "/" not in str(value):
        raise InvalidInput(
            field=field, reason=f"{value!r} is not an address/prefix like 10.0.0.1/24"
        )
    return net


def vlan_id(value: int, field: str = "vlan_id") -> int:
    """802.1Q ids 0 and 4095 are reserved, so 1..4094."""
    return _int_range(value, field, 1, 4094)


def vni(value: int, field: str = "vni") -> int:
    """VXLAN network identifiers are 24 bits; 0 is not used."""
    return _int_range(value, field, 1, 16_777_215)


def mtu(value: int, field: str = "mtu") -> int:
    """68 is IPv4's minimum MTU; 65535 the largest the kernel takes on most links."""
    return _int_range(value, field, 68, 65535)


def port(value: int, field: str = "port") -> int:
    return _int_range(value, field, 1, 65535)


def _int_range(value: int, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(field=field, reason=f"{value!r} must be an integer in {low}..{high}")
    return value
