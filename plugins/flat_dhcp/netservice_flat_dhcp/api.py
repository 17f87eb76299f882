"""The FlatDHCP REST API under ``/v1.0/flat_dhcp/``.

Flat's shape (networks, vnics, ports, fixed_ips) plus a network's DHCP
``leases``, ``floating_ips``, ``floating_ip_pools`` and the operator's
``floating_ips_bulk``: ``netservice.networks.api.service.DhcpAPIService``.
"""

from __future__ import annotations

from netservice.networks.api.service import DhcpAPIService


class FlatDhcpAPIService(DhcpAPIService):
    """FlatDHCP's routes: those of every DHCP topology with floating IPs."""
