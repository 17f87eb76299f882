"""The guest's Debian ``/etc/network/interfaces``, for topologies without DHCP.

Rendered from ``NetworkInfo`` mappings (one per NIC, in the guest's order),
as nova's ``interfaces.template`` did: loopback, then per NIC ``auto ethN``
and an ``inet static`` stanza, plus an ``inet6 static`` stanza when the NIC
has an IPv6 address.
"""

from __future__ import annotations

from collections.abc import Sequence

from netservice.core.network_info import NetworkInfo

HEADER = (
    "# Injected by netservice; the guest's network configuration.\n"
    "\n"
    "auto lo\n"
    "iface lo inet loopback\n"
)


def render_interfaces(nics: Sequence[NetworkInfo]) -> str:
    """The whole file.  NICs without an IPv4 address get no ``inet`` stanza.

    Pure: the same input always gives the same text.
    """
    parts = [HEADER]
    for index, nic in enumerate(nics):
        name = f"eth{index}"
        lines = [f"auto {name}"]
        if nic["ip_address"]:
            lines.append(f"iface {name} inet static")
            lines.append(f"    hwaddress ether {nic['mac_address']}")
            lines.append(f"    address {nic['ip_address']}")
            for key in ("netmask", "broadcast", "gateway"):
                if nic[key]:
                    lines.append(f"    {key} {nic[key]}")
            if nic["dns"]:
                lines.append(f"    dns-nameservers {' '.join(nic['dns'])}")
        if nic["address_v6"]:
            lines.append(f"iface {name} inet6 static")
            lines.append(f"    address {nic['address_v6']}")
            lines.append(f"    netmask {nic['netmask_v6'] or '64'}")
            if nic["gateway_v6"]:
                lines.append(f"    gateway {nic['gateway_v6']}")
        parts.append("\n" + "\n".join(lines) + "\n")
    return "".join(parts)
