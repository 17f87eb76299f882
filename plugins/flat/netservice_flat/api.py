"""The Flat REST API under ``/v1.0/flat/``: networks, vnics, ports and fixed_ips."""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.routemap import PluginRoutes
from netservice.core.wsgi import Controller, Request, expects, paginate, status
from netservice.core.wsgi.request import links
from netservice.ipam.planner import NetworkRequest

from netservice_flat import schemas, views
from netservice_flat.networks import FlatNetworks
from netservice_flat.vnics import FlatVnics


class NetworksController(Controller):
    def __init__(self, networks: FlatNetworks) -> None:
        self.networks = networks

    def _list(self, req: Request, detail: bool) -> dict[str, Any]:
        req.authorize("flat:network:list")
        ctx = req.context
        rows = self.networks.list(ctx.project_id, admin=ctx.is_admin)
        chunk, marker = paginate(rows, req.page, key=lambda row: row.uuid)
        body: dict[str, Any] = {"networks": [views.network(r, detail=detail) for r in chunk]}
        if marker:
            body["networks_links"] = links(req, marker)
        return body

    def index(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=False)

    def detail(self, req: Request) -> dict[str, Any]:
        return self._list(req, detail=True)

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize("flat:network:show")
        row = self.networks.get(id)
        ctx = req.context
        if not ctx.is_admin and row.project_id not in (None, ctx.project_id):
            raise exceptions.NotFound(f"Network {id} could not be found.")
        return {"network": views.network(row)}

    @status(201)
    @expects(schemas.NETWORK_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize("flat:network:create")
        rows, warnings = self.networks.create(NetworkRequest(**body["network"]))
        result: dict[str, Any] = {"networks": [views.network(r) for r in rows]}
        if warnings:
            result["warnings"] = warnings
        return result

    def delete(self, req: Request, id: str) -> None:
        req.authorize("flat:network:delete")
        self.networks.delete(id)

    @expects(schemas.NETWORK_UPDATE)
    def update(self, req: Request, id: str, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize("flat:network:update")
        wanted = body["network"]
        kwargs: dict[str, Any] = {}
        if "project_id" in wanted:
            kwargs["project"] = wanted["project_id"]
            kwargs["disassociate_project"] = wanted["project_id"] is None
        if "host" in wanted:
            kwargs["host"] = wanted["host"]
            kwargs["disassociate_host"] = wanted["host"] is None
        return {"network": views.network(self.networks.modify(id, **kwargs))}


class VnicsController(Controller):
    def __init__(self, vnics: FlatVnics) -> None:
        self.vnics = vnics

    def _owned(self, req: Request, vnic_id: str, action: str) -> Any:
        card = self.vnics.get(req.context, vnic_id)
        try:
            req.authorize(action, {"project_id": card.project_id}, hide=True)
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        return card

    def _view(self, card: Any) -> dict[str, Any]:
        net = self.vnics.networks_of([card])[card.network_id]
        return views.vnic(card, net, self.vnics.address_of(card.id))

    @status(201)
    @expects(schemas.VNIC_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["vnic"]
        owner = wanted.get("project_id") or req.context.project_id
        req.authorize("flat:vnic:create", {"project_id": owner})
        card, net = self.vnics.create_on(
            req.context,
            network=wanted.get("network_id"),
            instance_id=wanted.get("instance_id"),
            project_id=owner,
        )
        return {"vnic": views.vnic(card, net, None)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"vnic": self._view(self._owned(req, id, "flat:vnic:get"))}

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "flat:vnic:delete")
        self.vnics.delete(req.context, id)

    def network_info(self, req: Request, id: str) -> dict[str, Any]:
        """``GET /vnics/{id}/network_info``: exactly what compute's agent returns."""
        card = self._owned(req, id, "flat:vnic:get")
        net = self.vnics.networks_of([card])[card.network_id]
        from netservice_flat.info import network_info  # noqa: PLC0415

        return {"network_info": dict(network_info(card, net, self.vnics.address_of(card.id)))}


class PortsController(VnicsController):
    """``ports/{vnic_id}``: the VNIC's binding to a fixed IP of its network."""

    def _port(self, card: Any, address: str) -> dict[str, Any]:
        net = self.vnics.networks_of([card])[card.network_id]
        return {"port": views.port(card, net, address)}

    @status(201)
    @expects(schemas.PORT_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["port"]
        vnic_id = wanted["vnic_id"]

        def authorize(project_id: str) -> None:
            try:
                req.authorize("flat:port:create", {"project_id": project_id}, hide=True)
            except exceptions.NotFound:
                raise exceptions.VnicNotFound(vnic_id=vnic_id) from None

        card, net, address = self.vnics.bind_port(
            req.context,
            vnic_id,
            authorize,
            address=wanted.get("address"),
            instance_id=wanted.get("instance_id"),
        )
        return {"port": views.port(card, net, address)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        card = self._owned(req, id, "flat:port:get")
        address = self.vnics.address_of(card.id)
        if address is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")
        return self._port(card, address)

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "flat:port:delete")
        if self.vnics.unbind(req.context, id) is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")


class FixedIpsController(Controller):
    def __init__(self, networks: FlatNetworks) -> None:
        self.networks = networks

    def index(self, req: Request) -> dict[str, Any]:
        req.authorize("flat:fixed_ip:list")
        entries = self.networks.fixed_list(req.params.get("host") or None)
        chunk, marker = paginate(entries, req.page, key=lambda e: e.ip.address)
        body: dict[str, Any] = {
            "fixed_ips": [{**views.fixed_ip(e.ip, e.network), "mac_address": e.mac} for e in chunk]
        }
        if marker:
            body["fixed_ips_links"] = links(req, marker)
        return body

    def show(self, req: Request, id: str) -> dict[str, Any]:
        req.authorize("flat:fixed_ip:get")
        row = self.networks.get_fixed_ip_by_address(id)
        return {"fixed_ip": views.fixed_ip(row, self.networks.network_for_address(id))}

    @expects(schemas.FIXED_IP_ACTION)
    def action(self, req: Request, id: str, body: dict[str, Any]) -> None:
        """``{"reserve": null}`` or ``{"unreserve": null}``, as nova's os-fixed-ips."""
        req.authorize("flat:fixed_ip:reserve")
        self.networks.set_reserved(id, "reserve" in body)


class FlatAPIService(APIService):
    def __init__(self, networks: FlatNetworks, vnics: FlatVnics, name: str) -> None:
        self.networks = networks
        self.vnics = vnics
        self.name = name

    def register_routes(self, routes: PluginRoutes) -> None:
        vnics = VnicsController(self.vnics)
        routes.resource("networks", NetworksController(self.networks))
        routes.resource("vnics", vnics)
        routes.connect("/vnics/{id}/network_info", vnics, "network_info")
        routes.resource("ports", PortsController(self.vnics))
        routes.resource("fixed_ips", FixedIpsController(self.networks))
