"""``/fixed_ips``: list, show, and reserve/unreserve as nova's os-fixed-ips (admin)."""

from __future__ import annotations

from typing import Any

from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate
from netservice.networks.api import schemas, views
from netservice.networks.networks import Networks


class FixedIpsController(Controller):
    def __init__(self, networks: Networks) -> None:
        self.networks = networks
        self.rule = f"{networks.topology.name}:fixed_ip"

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        req.authorize(f"{self.rule}:list")
        entries = self.networks.fixed_list(req.GET.get("host") or None)
        chunk, marker = paginate(entries, req.page, key=lambda e: e.ip.address)
        body: dict[str, Any] = {
            "fixed_ips": [{**views.fixed_ip(e.ip, e.network), "mac_address": e.mac} for e in chunk]
        }
        if marker:
            body["fixed_ips_links"] = links(req, marker)
        return body

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize(f"{self.rule}:get")
        address = self.networks.get_fixed_ip_by_address(id)
        return {"fixed_ip": views.fixed_ip(address, self.networks.network_for_address(id))}

    @expects(schemas.FIXED_IP_ACTION)
    def action(self, req: Request, id: str, body: dict[str, Any]) -> None:
        """``{"reserve": null}`` or ``{"unreserve": null}``, as nova's os-fixed-ips."""
        req.authorize(f"{self.rule}:reserve")
        self.networks.set_reserved(id, "reserve" in body)
