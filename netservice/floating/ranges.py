"""``floating create|delete --ip_range``: one address, or a CIDR's host addresses.

Pure functions.  As nova-manage did, a plain address stands for itself, and
a CIDR for its hosts (without its network and broadcast addresses); a CIDR
of fewer than 4 addresses, or of a million or more, is refused.  Floating
IPs are IPv4, like the fixed IPs ipam hands out.
"""

from __future__ import annotations

import dataclasses

import netaddr

from netservice.core import exceptions
from netservice.floating.exceptions import FloatingIpRangeTooLarge, FloatingIpRangeTooSmall
from netservice.ipam import ranges as ipam_ranges

MIN_CIDR_SIZE = 4
# nova: "If we generate a million IPs and put them in the database, the system
# will slow to a crawl".  We still write one row per floating address.
MAX_CIDR_SIZE = 1_000_000


@dataclasses.dataclass(frozen=True)
class AddressRange:
    """Contiguous addresses ``first..last`` (integers, both included)."""

    text: str
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def parse(ip_range: str, field: str = "ip_range") -> AddressRange:
    """The addresses ``ip_range`` stands for.

    Raises InvalidInput (400) for something that is neither an IPv4 address
    nor an IPv4 CIDR, FloatingIpRangeTooSmall and FloatingIpRangeTooLarge.
    """
    text = str(ip_range).strip()
    if "/" not in text:
        value = ipam_ranges.to_int(text, field)
        return AddressRange(ipam_ranges.to_text(value), value, value)
    try:
        net = netaddr.IPNetwork(text)
    except (netaddr.AddrFormatError, ValueError, TypeError) as err:
        raise exceptions.InvalidInput(
            field=field, reason=f"{ip_range!r} is neither an IP address nor a CIDR"
        ) from err
    if net.version != 4:
        raise exceptions.InvalidInput(field=field, reason=f"{text} is not an IPv4 range")
    if net.size < MIN_CIDR_SIZE:
        raise FloatingIpRangeTooSmall(ip_range=text, size=net.size)
    if net.size >= MAX_CIDR_SIZE:
        raise FloatingIpRangeTooLarge(ip_range=text, size=net.size, prefix=net.prefixlen)
    # The hosts of the CIDR the text names, host bits ignored, as netaddr's
    # iter_hosts() gave nova-manage.
    return AddressRange(str(net.cidr), net.first + 1, net.last - 1)
