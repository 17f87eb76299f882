"""Where a new network's gateway, VPN address and ``dhcp_start`` go.

nova-network's rules, kept so that a network created here has the addresses
it had under nova:

- without ``--allowed_start`` the layout sits at the bottom of the subnet:
  the gateway is ``subnet[1]`` (or ``--gateway``); Flat and FlatDHCP put
  ``dhcp_start`` at ``subnet[2]``; VLAN puts the VPN address at ``subnet[2]``
  and ``dhcp_start`` at ``subnet[3]``;
- ``--allowed_start`` moves the layout with it: the gateway is
  ``allowed_start`` itself (unless ``--gateway`` names one), VLAN's VPN
  address the next address, and ``dhcp_start`` the one after (Flat and
  FlatDHCP: the gateway, then ``dhcp_start``).  A given ``--gateway`` is
  never taken again as the VPN address or ``dhcp_start``.

Pure: the caller has checked that the addresses lie inside the subnet.  An
``allowed_start`` that leaves no room below the broadcast address for the
layout raises InvalidInput naming it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import netaddr

from netservice.core import exceptions


@dataclasses.dataclass(frozen=True)
class Layout:
    gateway: str
    dhcp_start: str
    vpn_private_address: str | None


def v4_layout(
    subnet: netaddr.IPNetwork,
    *,
    gateway: str | None,
    allowed_start: str | None,
    vlan: bool,
) -> Layout:
    """The gateway, ``dhcp_start`` and (VLAN) VPN address of the network on ``subnet``."""
    if allowed_start is None:
        return Layout(
            gateway=gateway or str(subnet[1]),
            dhcp_start=str(subnet[3] if vlan else subnet[2]),
            vpn_private_address=str(subnet[2]) if vlan else None,
        )
    start = int(netaddr.IPAddress(allowed_start))
    if start in (subnet.first, subnet.last):
        raise exceptions.InvalidInput(
            field="allowed_start",
            reason=f"{allowed_start} is the network or broadcast address of {subnet}",
        )
    slots = _slots(start, subnet, skip=gateway)
    try:
        gateway = gateway or next(slots)
        vpn = next(slots) if vlan else None
        dhcp_start = next(slots)
    except StopIteration:
        needs = (
            "the gateway, the VPN address and dhcp_start" if vlan else "the gateway and dhcp_start"
        )
        raise exceptions.InvalidInput(
            field="allowed_start",
            reason=f"{allowed_start} leaves no room for {needs} below the broadcast "
            f"address of {subnet}",
        ) from None
    return Layout(gateway=gateway, dhcp_start=dhcp_start, vpn_private_address=vpn)


def _slots(start: int, subnet: netaddr.IPNetwork, *, skip: str | None) -> Iterator[str]:
    """Host addresses of ``subnet`` upwards from ``start``, leaving out ``skip``."""
    avoid = int(netaddr.IPAddress(skip)) if skip else None
    for value in range(start, subnet.last):
        if value != avoid:
            yield str(netaddr.IPAddress(value, 4))
