"""``/networks/{id}/leases``: the VNICs' fixed IPs a network's dnsmasq serves."""

from __future__ import annotations

from typing import Any

from netservice.core.wsgi import Controller, Request, links, paged, paginate
from netservice.networks.api import views
from netservice.networks.dhcp import DhcpNetworks


class LeasesController(Controller):
    def __init__(self, networks: DhcpNetworks) -> None:
        self.networks = networks
        self.rule = f"{networks.topology.name}:network:leases"

    @paged
    def index(self, req: Request, network_id: str) -> dict[str, Any]:
        """Allocated or still leased addresses, by address; ``?host=`` narrows multi_host."""
        network = self.networks.get(network_id)
        req.authorize(self.rule, {"project_id": network.project_id}, hide=True)
        entries = self.networks.get_dhcp_leases(str(network.id), req.GET.get("host") or None)
        chunk, marker = paginate(entries, req.page, key=lambda e: e.address)
        body: dict[str, Any] = {"leases": [views.lease(e) for e in chunk]}
        if marker:
            body["leases_links"] = links(req, marker)
        return body
