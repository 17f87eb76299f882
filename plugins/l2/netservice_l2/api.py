"""The l2 REST API under ``/v1.0/l2/``: ``networks`` (CRUD) and ``vnics``."""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.routemap import PluginRoutes
from netservice.core.wsgi import Controller, Request, expects, links, paged, status
from netservice.core.wsgi.request import paginate
from netservice.networks.domain import Vnic

from netservice_l2 import policies
from netservice_l2.agent import network_info
from netservice_l2.models import KINDS, L2Network
from netservice_l2.networks import L2Networks
from netservice_l2.vnics import L2Vnics

NAME = {"type": "string", "minLength": 1, "maxLength": 15}
PROJECT = {"type": "string", "minLength": 1, "maxLength": 255}


def _body(key: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    inner = {"type": "object", "properties": properties, "required": required,
             "additionalProperties": False}  # fmt: skip
    return {"type": "object", "properties": {key: inner}, "required": [key],
            "additionalProperties": False}  # fmt: skip


NETWORK_CREATE = _body(
    "network",
    {
        "label": {"type": "string", "minLength": 1, "maxLength": 255},
        "kind": {"enum": list(KINDS)},
        "bridge": NAME,
        "segment": {"type": "integer", "minimum": 1, "maximum": 16_777_215},
        "interface": NAME,
        "project_id": PROJECT,
    },
    ["label"],
)
NETWORK_UPDATE = _body(
    "network",
    {"label": NETWORK_CREATE["properties"]["network"]["properties"]["label"],
     "project_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 255}},
    [],
)  # fmt: skip
VNIC_CREATE = _body(
    "vnic",
    {"network_id": {"type": "string", "minLength": 1, "maxLength": 36},
     "project_id": PROJECT, "instance_id": {"type": "string", "maxLength": 36}},
    [],
)  # fmt: skip


def network_view(row: L2Network) -> dict[str, Any]:
    return {key: getattr(row, key) for key in
            ("id", "label", "project_id", "kind", "bridge", "segment", "interface")}  # fmt: skip


def vnic_view(vnic: Vnic) -> dict[str, Any]:
    """``network_id`` is the segment's id."""
    return {"id": vnic.id, "network_id": vnic.network_uuid, "project_id": vnic.project_id,
            "mac_address": vnic.mac, "instance_id": vnic.instance_id}  # fmt: skip


def _page(req: Request, key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    chunk, marker = paginate(rows, req.page, lambda r: str(r["id"]))
    body: dict[str, Any] = {key: chunk}
    if marker is not None:
        body[f"{key}_links"] = links(req, marker)
    return body


class NetworksController(Controller):
    def __init__(self, networks: L2Networks) -> None:
        self.networks = networks

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        return _page(req, "networks", [network_view(n) for n in self.networks.list(req.context)])

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"network": network_view(self.networks.get(req.context, id))}

    @status(201)
    @expects(NETWORK_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        return {"network": network_view(self.networks.create(**body["network"]))}

    @expects(NETWORK_UPDATE)
    def update(self, req: Request, id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"network": network_view(self.networks.update(id, **body["network"]))}

    def delete(self, req: Request, id: str) -> None:
        self.networks.delete(id)


class VnicsController(Controller):
    def __init__(self, vnics: L2Vnics) -> None:
        self.vnics = vnics

    def _owned(self, req: Request, vnic_id: str, rule: str) -> Vnic:
        vnic = self.vnics.get(req.context, vnic_id)
        try:
            req.authorize(rule, {"project_id": vnic.project_id}, hide=True)
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        return vnic

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        return _page(req, "vnics", [vnic_view(v) for v in self.vnics.list(req.context)])

    @status(201)
    @expects(VNIC_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["vnic"]
        owner = wanted.get("project_id") or req.context.project_id
        req.authorize("l2:vnic:create", {"project_id": owner})
        vnic = self.vnics.create(
            req.context, wanted.get("network_id"), owner, wanted.get("instance_id")
        )
        return {"vnic": vnic_view(vnic)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"vnic": vnic_view(self._owned(req, id, "l2:vnic:get"))}

    def network_info(self, req: Request, id: str) -> dict[str, Any]:
        vnic = self._owned(req, id, "l2:vnic:get")
        return {"network_info": dict(network_info(vnic.mac, self.vnics.network_of(vnic).bridge))}

    def delete(self, req: Request, id: str) -> None:
        self.vnics.delete(req.context, self._owned(req, id, "l2:vnic:delete").id)


class L2APIService(APIService):
    def __init__(self, networks: L2Networks, vnics: L2Vnics) -> None:
        self.networks = networks
        self.vnics = vnics

    def register_routes(self, routes: PluginRoutes) -> None:
        routes.resource(
            "networks", NetworksController(self.networks), rules=policies.route_rules("networks")
        )
        vnics = VnicsController(self.vnics)
        rules = policies.route_rules("vnics")
        routes.resource("vnics", vnics, rules=rules)
        routes.connect("/vnics/{id}/network_info", vnics, "network_info", rule=rules["show"])
