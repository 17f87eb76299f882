"""``GET|POST|DELETE /v1.0/instances/{instance_id}/vnics``: an instance's VNICs.

The rows only record which VNICs an instance has, in order.  Attaching one
asks the project's network service whether the VNIC exists and is the
caller's, so an unknown or foreign VNIC answers 404.
"""

from __future__ import annotations

from typing import Any

from netservice.core import exceptions, validation
from netservice.core.db import api as db_api
from netservice.core.db.models import InstanceVirtualNic
from netservice.core.manager import NetworkServiceManager
from netservice.core.network_info import check_network_info
from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate, status

ATTACH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vnic": {
            "type": "object",
            "properties": {"id": {"type": "string", "minLength": 1, "maxLength": 255}},
            "required": ["id"],
            "additionalProperties": False,
        }
    },
    "required": ["vnic"],
    "additionalProperties": False,
}


def _view(row: InstanceVirtualNic) -> dict[str, Any]:
    return {
        "id": row.virtual_nic_id,
        "instance_id": row.instance_id,
        "project_id": row.project_id,
        "created_at": row.created_at,
    }


class InstanceVnicsController(Controller):
    def __init__(self, manager: NetworkServiceManager) -> None:
        self.manager = manager

    def _rows(self, req: Request, instance_id: str, action: str) -> list[InstanceVirtualNic]:
        """The instance's rows; another project's instance is reported as missing."""
        validation.identifier(instance_id, "instance_id")
        rows = db_api.list_instance_vnics(self.manager.database, instance_id)
        owner = rows[0].project_id if rows else req.context.project_id
        try:
            req.authorize(action, {"project_id": owner}, hide=True)
        except exceptions.NotFound:
            raise exceptions.InstanceNotFound(instance_id=instance_id) from None
        return rows

    @paged
    def index(self, req: Request, instance_id: str) -> dict[str, Any]:
        rows = self._rows(req, instance_id, "instance_vnics:get")
        if not rows:
            raise exceptions.InstanceNotFound(instance_id=instance_id)
        chunk, marker = paginate(rows, req.page, key=lambda row: row.virtual_nic_id)
        body: dict[str, Any] = {"vnics": [_view(row) for row in chunk]}
        if marker:
            body["vnics_links"] = links(req, marker)
        return body

    @status(201)
    @expects(ATTACH_SCHEMA)
    def create(self, req: Request, instance_id: str, body: dict[str, Any]) -> dict[str, Any]:
        rows = self._rows(req, instance_id, "instance_vnics:attach")
        vnic_id = validation.identifier(body["vnic"]["id"], "vnic.id")
        project_id = rows[0].project_id if rows else req.context.project_id
        if project_id is None:
            raise exceptions.NotAuthorized()
        plugin = self.manager.for_project(project_id)
        # Raises VnicNotFound (404) for an unknown VNIC or another project's.
        info = plugin.get_net_agent().get_network_info(req.context, vnic_id)
        check_network_info(plugin.context.name, info)
        db_api.attach_vnics(self.manager.database, instance_id, project_id, [vnic_id])
        # A delete of the VNIC releases the instance rows it sees in its own
        # transaction; one that committed while this row was being added did
        # not see it.  Ask again, and take the row back if the VNIC is gone.
        try:
            plugin.get_net_agent().get_network_info(req.context, vnic_id)
        except exceptions.VnicNotFound:
            db_api.detach_vnics(self.manager.database, instance_id, [vnic_id])
            raise
        attached = db_api.list_instance_vnics(self.manager.database, instance_id)
        return {"vnic": next(_view(r) for r in attached if r.virtual_nic_id == vnic_id)}

    def delete(self, req: Request, instance_id: str) -> None:
        """Detach every VNIC; an instance with none is already in that state."""
        self._rows(req, instance_id, "instance_vnics:detach")
        db_api.detach_vnics(self.manager.database, instance_id)

    def delete_one(self, req: Request, instance_id: str, vnic_id: str) -> None:
        rows = self._rows(req, instance_id, "instance_vnics:detach")
        if not any(r.virtual_nic_id == vnic_id for r in rows):
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        db_api.detach_vnics(self.manager.database, instance_id, [vnic_id])
