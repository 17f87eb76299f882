"""``GET|PUT|DELETE /v1.0/projects/{project_id}/network_service``."""

from __future__ import annotations

from typing import Any

from netservice.core import projects, validation
from netservice.core.manager import NetworkServiceManager
from netservice.core.wsgi import Controller, Request, expects

SET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "network_service": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 255},
                "force": {"type": "boolean"},
            },
            "required": ["name"],
            "additionalProperties": False,
        }
    },
    "required": ["network_service"],
    "additionalProperties": False,
}


def _force(req: Request) -> bool:
    return req.GET.get("force", "").lower() in ("1", "true", "yes")


class ProjectNetworkServiceController(Controller):
    def __init__(self, manager: NetworkServiceManager) -> None:
        self.manager = manager

    def _view(self, project_id: str) -> dict[str, Any]:
        name, is_default = self.manager.service_name_for_project(project_id)
        return {"network_service": {"project_id": project_id, "name": name, "default": is_default}}

    def show(self, req: Request, project_id: str) -> dict[str, Any]:
        validation.project_id(project_id)
        req.authorize("project_network_service:get", {"project_id": project_id}, hide=True)
        return self._view(project_id)

    @expects(SET_SCHEMA)
    def update(self, req: Request, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize("project_network_service:set", {"project_id": project_id})
        wanted = body["network_service"]
        projects.set_network_service(
            self.manager,
            req.context,
            project_id,
            wanted["name"],
            force=wanted.get("force", False) or _force(req),
        )
        return self._view(project_id)

    def delete(self, req: Request, project_id: str) -> None:
        req.authorize("project_network_service:delete", {"project_id": project_id})
        projects.unset_network_service(self.manager, req.context, project_id, force=_force(req))
