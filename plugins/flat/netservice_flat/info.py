"""``get_network_info`` for one Flat VNIC: the contract's 13 keys, nothing more."""

from __future__ import annotations

import netaddr
from netservice.core.network_info import NetworkInfo

from netservice_flat.models import EthernetCard, FlatNetwork


def address_v6(cidr_v6: str | None, mac: str) -> str | None:
    """The EUI-64 address of ``mac`` in ``cidr_v6`` (what radvd/SLAAC would give)."""
    if not cidr_v6:
        return None
    net = netaddr.IPNetwork(cidr_v6)
    return str(netaddr.EUI(mac).ipv6(net.network))


def network_info(card: EthernetCard, network: FlatNetwork, address: str | None) -> NetworkInfo:
    """Flat serves no DHCP and no router advertisements: those fields are None."""
    dns = [d for d in (network.dns1, network.dns2) if d]
    return NetworkInfo(
        cidr=network.cidr,
        cidr_v6=network.cidr_v6,
        netmask=network.netmask,
        netmask_v6=network.netmask_v6,
        gateway=network.gateway,
        gateway_v6=network.gateway_v6,
        dhcp_server=None,
        broadcast=network.broadcast,
        dns=dns,
        ra_server=None,
        mac_address=card.mac,
        ip_address=address,
        address_v6=address_v6(network.cidr_v6, card.mac),
    )
