"""``/vnics`` (create, show, delete, network_info) and ``/ports`` (bind, show, unbind).

Another project's VNIC answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.wsgi import Controller, Request, expects, status
from netservice.networks.api import schemas, views
from netservice.networks.domain import Vnic
from netservice.networks.vnics import BindOptions, Vnics


class VnicsController(Controller):
    def __init__(self, vnics: Vnics) -> None:
        self.vnics = vnics
        self.plugin = vnics.topology.name

    def _owned(self, req: Request, vnic_id: str, action: str) -> Vnic:
        card = self.vnics.get(req.context, vnic_id)
        try:
            req.authorize(f"{self.plugin}:{action}", {"project_id": card.project_id}, hide=True)
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        return card

    @status(201)
    @expects(schemas.VNIC_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["vnic"]
        owner = wanted.get("project_id") or req.context.project_id
        req.authorize(f"{self.plugin}:vnic:create", {"project_id": owner})
        card = self.vnics.create(
            req.context,
            network=wanted.get("network_id"),
            instance_id=wanted.get("instance_id"),
            project_id=owner,
        )
        return {"vnic": views.vnic(card)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"vnic": views.vnic(self._owned(req, id, "vnic:get"))}

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "vnic:delete")
        self.vnics.delete(req.context, id)

    def network_info(self, req: Request, id: str) -> dict[str, Any]:
        """``GET /vnics/{id}/network_info``: exactly what compute's agent returns."""
        card = self._owned(req, id, "vnic:get")
        info = self.vnics.network_info(card, self.vnics.network_of(card), card.address)
        return {"network_info": dict(info)}


class PortsController(VnicsController):
    """``ports/{vnic_id}``: the VNIC's binding to a fixed IP of its network."""

    def _options(self, wanted: dict[str, Any]) -> BindOptions:
        """``bind_port``'s options from the request's ``port``; a topology adds its own."""
        return BindOptions(address=wanted.get("address"), instance_id=wanted.get("instance_id"))

    @status(201)
    @expects(schemas.PORT_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["port"]
        vnic_id = wanted["vnic_id"]

        def authorize(project_id: str) -> None:
            try:
                req.authorize(f"{self.plugin}:port:create", {"project_id": project_id}, hide=True)
            except exceptions.NotFound:
                raise exceptions.VnicNotFound(vnic_id=vnic_id) from None

        port = self.vnics.bind_port(req.context, vnic_id, authorize, **self._options(wanted))
        return {"port": views.port(port)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        port = self.vnics.port_of(self._owned(req, id, "port:get"))
        if port is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")
        return {"port": views.port(port)}

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "port:delete")
        if self.vnics.unbind(req.context, id) is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")
