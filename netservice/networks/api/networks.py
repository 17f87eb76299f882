"""``/networks``: list, detail, show, create, update (project, host, bridge
interface), delete.  Admins also see each network's ``status`` and ``error``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from netservice.core import exceptions
from netservice.core.network_status import Status
from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate, status
from netservice.networks.api import schemas, views
from netservice.networks.domain import Network
from netservice.networks.networks import Networks
from netservice.networks.unplanned import network_request


class NetworksController(Controller):
    plan_options: ClassVar[Mapping[str, Any]] = schemas.PLAN_ONLY
    """What ``create`` takes besides the declared fields (VLAN adds its numbering)."""

    def __init__(self, networks: Networks) -> None:
        self.networks = networks
        self.rule = f"{networks.topology.name}:network"
        self.create_schema = schemas.network_create(
            networks.topology.declaration, self.plan_options
        )
        """The body of ``create``: the fields of the plugin's networks' declaration."""

    def view(
        self, network: Network, *, detail: bool = True, status: Status | None = None
    ) -> dict[str, Any]:
        dhcp = self.networks.topology.dhcp
        return views.network(network, detail=detail, dhcp=dhcp, status=status)

    def views(
        self, req: Request, networks: list[Network], *, detail: bool = True
    ) -> list[dict[str, Any]]:
        """The networks as the caller may see them: admins also get ``status`` and ``error``."""
        statuses = self.networks.statuses(networks) if req.context.is_admin else {}
        return [self.view(n, detail=detail, status=statuses.get(n.id)) for n in networks]

    def _list(self, req: Request, detail: bool) -> dict[str, Any]:
        req.authorize(f"{self.rule}:list")
        ctx = req.context
        networks = self.networks.list(ctx.project_id, admin=bool(ctx.is_admin))
        chunk, marker = paginate(networks, req.page, key=lambda network: network.uuid)
        body: dict[str, Any] = {"networks": self.views(req, chunk, detail=detail)}
        if marker:
            body["networks_links"] = links(req, marker)
        return body

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=False)

    @paged
    def detail(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=True)

    def visible(self, req: Request, id: str) -> Network:
        """The network, if the caller may see it; NotFound otherwise."""
        network = self.networks.get(id)
        ctx = req.context
        if not ctx.is_admin and network.project_id not in (None, ctx.project_id):
            raise exceptions.NotFound(f"Network {id} could not be found.")
        return network

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize(f"{self.rule}:show")
        return {"network": self.views(req, [self.visible(req, id)])[0]}

    @status(201)
    @expects(lambda controller: controller.create_schema)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.rule}:create")
        request = network_request(body["network"], self.networks.topology.declaration)
        networks, warnings = self.networks.create(request)
        result: dict[str, Any] = {"networks": self.views(req, networks)}
        if warnings:
            result["warnings"] = warnings
        return result

    def forced(self, req: Request, asked: bool = False) -> bool:
        """Whether the caller asked for force (``?force=true`` or a body field); admin only."""
        wanted = asked or req.GET.get("force", "").lower() in ("1", "true", "yes")
        if wanted:
            req.authorize(f"{self.rule}:force")
        return wanted

    def delete(self, req: Request, id: str) -> dict[str, Any] | None:
        """204; with ``?force=true`` (admin), 200 naming what it orphaned."""
        req.authorize(f"{self.rule}:delete")
        force = self.forced(req)
        _, orphans = self.networks.remove(id, force=force)
        return {"orphaned": orphans.as_dict()} if force else None

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
        if "bridge_interface" in wanted:
            kwargs["bridge_interface"] = wanted["bridge_interface"]
        force = self.forced(req, bool(wanted.get("force")))
        network, orphans = self.networks.change(id, force=force, **kwargs)
        result: dict[str, Any] = {"network": self.views(req, [network])[0]}
        if force:
            result["orphaned"] = orphans.as_dict()
        return result
