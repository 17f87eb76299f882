"""The REST API as an OpenAPI 3.1 document, derived from the code that serves it.

Nothing here is written by hand per route: the paths and methods come from
the route map (the core's and every loaded plugin's), request bodies from
each action's ``@expects`` JSON schema, success codes from ``@status`` (or
204 for an action that returns None, both for ``X | None``), ``limit``/``marker`` from ``@paged``,
and faults from ``faults.FAULT_MAP``.  A route, a schema or a plugin that
changes changes the document; ``docs/openapi.json`` is checked against it by
a test.  ``GET /v1.0/openapi.json`` serves it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from netservice.core.routemap import VERSION, DescribedRoute, NetworkServiceRouteMap
from netservice.core.wsgi import Controller, Request, faults, limits
from netservice.core.wsgi.controller import is_paged, schema_of, status_of

OPENAPI_VERSION = "3.1.0"
TITLE = "netservice"
_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# What every operation may answer besides success: the request itself
# (path, query, identity) can always be refused, and the database may be away.
COMMON_FAULTS = (400, 401, 403, 404, 405, 406, 409, 503)
BODY_FAULTS = (413, 415)

PATH_PARAMETER: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": limits.MAX_PARAM,
}
PAGING: list[dict[str, Any]] = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Largest page wanted; the server caps it at [api] max_limit.",
        "schema": {"type": "integer", "minimum": 1},
    },
    {
        "name": "marker",
        "in": "query",
        "required": False,
        "description": "The last item of the previous page (from the *_links 'next' href).",
        "schema": {"type": "string", "minLength": 1, "maxLength": limits.MAX_PARAM},
    },
]


def _fault_schema(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name],
        "additionalProperties": False,
        "properties": {
            name: {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
            }
        },
    }


def _components() -> dict[str, Any]:
    schemas = {name: _fault_schema(name) for name in sorted(set(faults.FAULT_NAMES.values()))}
    responses = {
        str(code): {
            "description": f"{name} fault",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        for code, name in sorted(faults.FAULT_NAMES.items())
    }
    return {
        "schemas": schemas,
        "responses": responses,
        "securitySchemes": {
            "noauth": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Project-Id",
                "description": "auth_strategy = noauth: the caller's project, trusted as sent "
                "(with X-Roles, e.g. 'admin', and X-User-Id). Loopback only.",
            },
            "keystone": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Auth-Token",
                "description": "auth_strategy = keystone: a Keystone token.",
            },
        },
    }


def _success_status(action: Callable[..., Any]) -> int:
    declared = getattr(action, "netservice_status", None)
    if declared is not None:
        return int(declared)
    returns = inspect.signature(action).return_annotation
    return 204 if returns in (None, "None") else status_of(action)


def _may_return_nothing(action: Callable[..., Any]) -> bool:
    """Whether the action's return annotation is ``X | None``: 204 as well as X's status."""
    returns = inspect.signature(action).return_annotation
    return "None" in (part.strip() for part in str(returns).split("|"))


def _summary(action: Callable[..., Any]) -> str:
    doc = inspect.getdoc(action) or ""
    return doc.split("\n\n", 1)[0].replace("\n", " ")


def _operation_id(route: DescribedRoute, method: str, taken: set[str]) -> str:
    target = route.target
    base = f"{target.plugin or 'core'}.{type(target.controller).__name__}.{target.action}"
    candidate = base if base not in taken else f"{base}.{method.lower()}"
    taken.add(candidate)
    return candidate


def _operation(route: DescribedRoute, method: str, taken: set[str]) -> dict[str, Any]:
    target = route.target
    action = getattr(target.controller, target.action)
    operation: dict[str, Any] = {
        "operationId": _operation_id(route, method, taken),
        "tags": [target.plugin or "core"],
    }
    summary = _summary(action)
    if summary:
        operation["summary"] = summary
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": dict(PATH_PARAMETER)}
        for name in _VARIABLE.findall(route.path)
    ]
    if is_paged(action):
        parameters.extend(dict(p) for p in PAGING)
    if parameters:
        operation["parameters"] = parameters
    codes = list(COMMON_FAULTS)
    schema = schema_of(action)
    if schema is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
        codes.extend(BODY_FAULTS)
    success = _success_status(action)
    responses: dict[str, Any] = {}
    if success == 204 or _may_return_nothing(action):
        responses["204"] = {"description": "Done; no body."}
    if success != 204:
        responses[str(success)] = {
            "description": "The resource, wrapped in its name (Compute API v1.1 style).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    for code in sorted(codes):
        responses[str(code)] = {"$ref": f"#/components/responses/{code}"}
    operation["responses"] = responses
    if target.public:
        operation["security"] = []
    return operation


def document(route_map: NetworkServiceRouteMap) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route in ``route_map``."""
    paths: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    for route in route_map.described:
        item = paths.setdefault(route.path, {})
        for method in route.methods:
            item[method.lower()] = _operation(route, method, taken)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Pluggable network services: the core's routes and each loaded "
            "plugin's under /v1.0/<plugin>/. Every resource also speaks XML (Accept, "
            "Content-Type, or a .xml suffix); this document describes JSON.",
        },
        "paths": {path: paths[path] for path in sorted(paths)},
        "components": _components(),
        "security": [{"noauth": []}, {"keystone": []}],
    }


class OpenApiController(Controller):
    """``GET /v1.0/openapi.json``: the document, built once from the finished route map."""

    def __init__(self, route_map: NetworkServiceRouteMap) -> None:
        self.route_map = route_map
        self._document: dict[str, Any] | None = None

    def show(self, req: Request) -> dict[str, Any]:
        """The OpenAPI 3.1 document of this server's API (its loaded plugins included)."""
        if self._document is None:
            self._document = document(self.route_map)
        return self._document
