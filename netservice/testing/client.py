"""Drive a netservice WSGI app in-process, as a JSON or XML client would."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import webob
from defusedxml import ElementTree

from netservice.core.wsgi import serializers


@dataclasses.dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def xml(self) -> Any:
        return ElementTree.fromstring(self.body, forbid_dtd=True)


class ApiClient:
    """Requests against a WSGI app, on behalf of one project."""

    def __init__(
        self, app: Any, project_id: str | None = "p1", roles: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.project_id = project_id
        self.roles = roles

    def as_project(self, project_id: str | None, *roles: str) -> ApiClient:
        return ApiClient(self.app, project_id, roles)

    def request(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | bytes | None = None,
        *,
        content_type: str = serializers.JSON,
        accept: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        req = webob.Request.blank(path, method=method)
        if self.project_id is not None:
            req.headers["X-Project-Id"] = self.project_id
        if self.roles:
            req.headers["X-Roles"] = ",".join(self.roles)
        if accept:
            req.headers["Accept"] = accept
        if body is not None:
            if isinstance(body, bytes):
                req.body = body
            elif content_type == serializers.XML:
                req.body = serializers.to_xml(body)
            else:
                req.body = json.dumps(body).encode()
            req.content_type = content_type
        for key, value in (headers or {}).items():
            req.headers[key] = value
        resp = req.get_response(self.app)
        return Reply(resp.status_int, dict(resp.headers), resp.body)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Mapping[str, Any] | bytes | None = None, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Mapping[str, Any] | bytes | None = None, **kw: Any) -> Reply:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Reply:
        return self.request("DELETE", path, **kw)
