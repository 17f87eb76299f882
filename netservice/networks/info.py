"""``get_network_info`` for one VNIC: the contract's 14 keys, nothing more."""

from __future__ import annotations

from typing import Any

import netaddr

from netservice.core.network_info import NetworkInfo
from netservice.networks.domain import Vnic


def address_v6(cidr_v6: str | None, mac: str) -> str | None:
    """The EUI-64 address of ``mac`` in ``cidr_v6`` (what radvd/SLAAC would give)."""
    if not cidr_v6:
        return None
    net = netaddr.IPNetwork(cidr_v6)
    return str(netaddr.EUI(mac).ipv6(net.network))


def network_info(
    card: Vnic,
    network: Any,
    address: str | None,
    *,
    dhcp_server: str | None = None,
    gateway: str | None = None,
    ra_server: str | None = None,
) -> NetworkInfo:
    """The VNIC's addressing on ``network``.

    ``dhcp_server`` and ``ra_server`` are None for topologies that serve no
    DHCP or router advertisements (Flat).  ``gateway`` overrides the
    network's, for a multi_host network whose host is its own gateway.
    ``bridge`` is the network's.
    """
    dns = [d for d in (network.dns1, network.dns2) if d]
    return NetworkInfo(
        cidr=network.cidr,
        cidr_v6=network.cidr_v6,
        netmask=network.netmask,
        netmask_v6=network.netmask_v6,
        gateway=gateway or network.gateway,
        gateway_v6=network.gateway_v6,
        dhcp_server=dhcp_server,
        broadcast=network.broadcast,
        dns=dns,
        ra_server=ra_server,
        mac_address=card.mac,
        ip_address=address,
        address_v6=address_v6(network.cidr_v6, card.mac),
        bridge=network.bridge,
    )
