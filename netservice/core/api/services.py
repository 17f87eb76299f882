"""``GET /v1.0/network_services``: the loaded plugins."""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.manager import NetworkServiceManager
from netservice.core.wsgi import Controller, Request, links, paged, paginate


class NetworkServicesController(Controller):
    def __init__(self, manager: NetworkServiceManager) -> None:
        self.manager = manager

    def _view(self, name: str) -> dict[str, Any]:
        plugin = self.manager.get(name)
        return {
            "name": name,
            "description": type(plugin).description,
            "default": name == self.manager.default_service,
        }

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        req.authorize("network_services:list")
        names, next_marker = paginate(self.manager.names(), req.page, key=str)
        body: dict[str, Any] = {"network_services": [self._view(n) for n in names]}
        if next_marker:
            body["network_services_links"] = links(req, next_marker)
        return body

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize("network_services:list")
        if id not in self.manager.names():
            raise exceptions.NetworkServiceNotFound(
                name=id, loaded=", ".join(self.manager.names())
            )
        return {"network_service": self._view(id)}
