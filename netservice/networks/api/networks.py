"""``/networks``: list, detail, show, create, update (project and host), delete."""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate, status
from netservice.ipam.planner import NetworkRequest
from netservice.networks.api import schemas, views
from netservice.networks.networks import Networks


class NetworksController(Controller):
    def __init__(self, networks: Networks) -> None:
        self.networks = networks
        self.rule = f"{networks.topology.name}:network"
        self.extra = ("dhcp_server",) if networks.topology.dhcp else ()

    def view(self, row: Any, *, detail: bool = True) -> dict[str, Any]:
        return views.network(row, detail=detail, extra=self.extra)

    def _list(self, req: Request, detail: bool) -> dict[str, Any]:
        req.authorize(f"{self.rule}:list")
        ctx = req.context
        rows = self.networks.list(ctx.project_id, admin=ctx.is_admin)
        chunk, marker = paginate(rows, req.page, key=lambda row: row.uuid)
        body: dict[str, Any] = {"networks": [self.view(r, detail=detail) for r in chunk]}
        if marker:
            body["networks_links"] = links(req, marker)
        return body

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=False)

    @paged
    def detail(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=True)

    def visible(self, req: Request, id: str) -> Any:
        """The network, if the caller may see it; NotFound otherwise."""
        row = self.networks.get(id)
        ctx = req.context
        if not ctx.is_admin and row.project_id not in (None, ctx.project_id):
            raise exceptions.NotFound(f"Network {id} could not be found.")
        return row

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize(f"{self.rule}:show")
        return {"network": self.view(self.visible(req, id))}

    @status(201)
    @expects(schemas.NETWORK_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.rule}:create")
        rows, warnings = self.networks.create(NetworkRequest(**body["network"]))
        result: dict[str, Any] = {"networks": [self.view(r) for r in rows]}
        if warnings:
            result["warnings"] = warnings
        return result

    def delete(self, req: Request, id: str) -> None:
        req.authorize(f"{self.rule}:delete")
        self.networks.delete(id)

    @expects(schemas.NETWORK_UPDATE)
    def update(self, req: Request, id: str, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.rule}:update")
        wanted = body["network"]
        kwargs: dict[str, Any] = {}
        if "project_id" in wanted:
            kwargs["project"] = wanted["project_id"]
            kwargs["disassociate_project"] = wanted["project_id"] is None
        if "host" in wanted:
            kwargs["host"] = wanted["host"]
            kwargs["disassociate_host"] = wanted["host"] is None
        return {"network": self.view(self.networks.modify(id, **kwargs))}
