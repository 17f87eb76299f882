"""``/vnics`` (create, show, delete, network_info) and ``/ports`` (bind, show, unbind).

Another project's VNIC answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions
from netservice.core.wsgi import Controller, Request, expects, status
from netservice.networks.api import schemas, views
from netservice.networks.vnics import Vnics


class VnicsController(Controller):
    def __init__(self, vnics: Vnics) -> None:
        self.vnics = vnics
        self.plugin = vnics.topology.name

    def _owned(self, req: Request, vnic_id: str, action: str) -> Any:
        card = self.vnics.get(req.context, vnic_id)
        try:
            req.authorize(f"{self.plugin}:{action}", {"project_id": card.project_id}, hide=True)
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        return card

    def _network(self, card: Any) -> Any:
        return self.vnics.networks_of([card])[card.network_id]

    @status(201)
    @expects(schemas.VNIC_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["vnic"]
        owner = wanted.get("project_id") or req.context.project_id
        req.authorize(f"{self.plugin}:vnic:create", {"project_id": owner})
        card, net = self.vnics.create_on(
            req.context,
            network=wanted.get("network_id"),
            instance_id=wanted.get("instance_id"),
            project_id=owner,
        )
        return {"vnic": views.vnic(card, net, None)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        card = self._owned(req, id, "vnic:get")
        return {"vnic": views.vnic(card, self._network(card), self.vnics.address_of(card.id))}

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "vnic:delete")
        self.vnics.delete(req.context, id)

    def network_info(self, req: Request, id: str) -> dict[str, Any]:
        """``GET /vnics/{id}/network_info``: exactly what compute's agent returns."""
        card = self._owned(req, id, "vnic:get")
        info = self.vnics.network_info(card, self._network(card), self.vnics.address_of(card.id))
        return {"network_info": dict(info)}


class PortsController(VnicsController):
    """``ports/{vnic_id}``: the VNIC's binding to a fixed IP of its network."""

    def _port(self, card: Any, net: Any, address: str) -> dict[str, Any]:
        info = self.vnics.network_info(card, net, address)
        return {"port": views.port(card, net, address, info)}

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

        card, net, address = self.vnics.bind_port(
            req.context,
            vnic_id,
            authorize,
            address=wanted.get("address"),
            instance_id=wanted.get("instance_id"),
        )
        return self._port(card, net, address)

    def show(self, req: Request, id: str) -> dict[str, Any]:
        card = self._owned(req, id, "port:get")
        address = self.vnics.address_of(card.id)
        if address is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")
        return self._port(card, self._network(card), address)

    def delete(self, req: Request, id: str) -> None:
        self._owned(req, id, "port:delete")
        if self.vnics.unbind(req.context, id) is None:
            raise exceptions.NotFound(f"VNIC {id} is not bound to a fixed IP.")
