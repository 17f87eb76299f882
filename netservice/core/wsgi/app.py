"""The WSGI application: route, negotiate, authorise, validate, call, serialise.

Everything a controller raises is turned into a fault here, through
``faults.FAULT_MAP``; an unexpected exception is logged once, with its
traceback, and answered as a 500 fault that does not leak its text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import jsonschema
import webob
import webob.dec

from netservice.core import exceptions
from netservice.core.manager import NetworkServiceManager
from netservice.core.routemap import VERSION, MethodNotAllowed, NetworkServiceRouteMap, RouteTarget
from netservice.core.wsgi import faults, limits, resource_links, serializers
from netservice.core.wsgi.controller import is_paged, schema_of, status_of
from netservice.core.wsgi.request import MAX_LIMIT_KEY, POLICY_KEY, Request

LOG = logging.getLogger(__name__)

CONTEXT_ERROR_KEY = "netservice.context_error"
# The matched route's path template, for the metrics middleware.
ROUTE_KEY = "netservice.route"
_SUFFIXES = {".json": serializers.JSON, ".xml": serializers.XML}


class Application:
    """Dispatches requests to the core's and the plugins' controllers."""

    def __init__(
        self,
        route_map: NetworkServiceRouteMap,
        manager: NetworkServiceManager,
        policy: Any,
        *,
        max_body_size: int,
        max_limit: int,
    ) -> None:
        self.route_map = route_map
        self.manager = manager
        self.policy = policy
        self.max_body_size = max_body_size
        self.max_limit = max_limit
        self._validators: dict[int, jsonschema.protocols.Validator] = {}

    @webob.dec.wsgify(RequestClass=Request)  # type: ignore[untyped-decorator]
    def __call__(self, req: Request) -> webob.Response:
        # The suffix is read from the raw (latin-1) path, so a path that is
        # not UTF-8 still gets its fault in the format it asked for.
        _, suffix_type = _split_suffix(req.environ.get("PATH_INFO", ""))
        try:
            out_type = suffix_type or _negotiate(req)
        except exceptions.NotAcceptable as err:
            return _fault_response(err, serializers.JSON)
        req.environ[POLICY_KEY] = self.policy
        req.environ[MAX_LIMIT_KEY] = self.max_limit
        target: RouteTarget | None = None
        try:
            path, _ = _split_suffix(_decoded_path(req))
            if path == f"/{VERSION}/":
                # The version document's own self link ends with a slash.
                path = f"/{VERSION}"
            _check_query(req)
            target, args = self.route_map.match(path, req.method)
            req.environ[ROUTE_KEY] = target.path
            for name, value in args.items():
                limits.check_text(value, name)
            if not is_paged(getattr(target.controller, target.action)):
                _refuse_paging(req)
            if not target.public:
                self._check_caller(req, target)
                if target.rule is not None:
                    req.authorize(target.rule)
            return self._call(req, target, args, out_type)
        except Exception as err:
            if faults.status_for(err) == 500:
                owner = target.plugin if target is not None else None
                where = f"plugin '{owner}'" if owner else "the core"
                LOG.exception("%s %s failed in %s", req.method, req.path, where)
            return _fault_response(err, out_type)

    def _check_caller(self, req: Request, target: RouteTarget) -> None:
        error = req.environ.get(CONTEXT_ERROR_KEY)
        if error is not None:
            raise error
        context = req.context
        if target.plugin is None or context.is_admin or context.project_id is None:
            return
        # The routing check: a project only talks to its own network service.
        # Admins pass: they manage every service's unowned networks.  Creating
        # a project's resources is checked for every caller, admins and the
        # manage tools included, by the service layer (netservice.core.serving).
        expected, _ = self.manager.service_name_for_project(context.project_id)
        if expected != target.plugin:
            raise exceptions.WrongNetworkService(
                project_id=context.project_id, expected=expected, requested=target.plugin
            )

    def _call(
        self, req: Request, target: RouteTarget, args: dict[str, str], out_type: str
    ) -> webob.Response:
        action = getattr(target.controller, target.action)
        kwargs: dict[str, Any] = dict(args)
        schema = schema_of(action)
        if schema is not None:
            kwargs["body"] = self._body(req, schema)
        result = action(req, **kwargs)
        if isinstance(result, webob.Response):
            return result
        if result is None:
            return webob.Response(status=204)
        if isinstance(result, dict):
            resource_links.add(
                result,
                path=_split_suffix(_decoded_path(req))[0],
                base_url=req.application_url,
                route_map=self.route_map,
            )
        return _response(status_of(action), result, out_type)

    def _body(self, req: Request, schema: Mapping[str, Any]) -> dict[str, Any]:
        length = req.content_length
        if length is not None and length > self.max_body_size:
            raise faults.RequestTooLarge(size=length, limit=self.max_body_size)
        data = req.body_file.read(self.max_body_size + 1)
        if len(data) > self.max_body_size:
            raise faults.RequestTooLarge(
                size=f"over {self.max_body_size}", limit=self.max_body_size
            )
        if not data:
            raise exceptions.MalformedBody(reason="a request body is required")
        content_type = req.content_type or serializers.JSON
        if serializers.is_json(content_type):
            body = serializers.from_json(data)
        elif serializers.is_xml(content_type):
            body = serializers.from_xml(data, schema)
        else:
            raise exceptions.UnsupportedMediaType(content_type=content_type)
        limits.check_body(body)
        self._validate(schema, body)
        return body

    def _validate(self, schema: Mapping[str, Any], body: dict[str, Any]) -> None:
        validator = self._validators.get(id(schema))
        if validator is None:
            cls = jsonschema.validators.validator_for(
                schema, default=jsonschema.Draft202012Validator
            )
            validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
            self._validators[id(schema)] = validator
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            raise _invalid_input(error)


def _decoded_path(req: Request) -> str:
    try:
        path: str = req.path_info
    except UnicodeDecodeError:
        raise exceptions.InvalidInput(
            field="path", reason="is not UTF-8 once percent-decoded"
        ) from None
    return path


def _check_query(req: Request) -> None:
    """Every query parameter decodes as UTF-8 and is printable."""
    try:
        params = list(req.GET.items())
    except UnicodeDecodeError:
        raise exceptions.InvalidInput(
            field="query string", reason="is not UTF-8 once percent-decoded"
        ) from None
    for key, value in params:
        limits.check_text(key, "query parameter name")
        limits.check_text(value, key)


def _refuse_paging(req: Request) -> None:
    for name in ("limit", "marker"):
        if name in req.GET:
            raise exceptions.InvalidInput(
                field=name, reason="this resource is not a list that pages"
            )


def _split_suffix(path: str) -> tuple[str, str | None]:
    for suffix, content_type in _SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], content_type
    return path, None


def _negotiate(req: Request) -> str:
    """JSON or XML from the Accept header; JSON when it allows anything."""
    if not req.accept:
        return serializers.JSON
    offers = req.accept.acceptable_offers([serializers.JSON, serializers.XML, "text/xml"])
    if not offers:
        raise exceptions.NotAcceptable(accept=str(req.accept))
    return serializers.XML if offers[0][0] == "text/xml" else str(offers[0][0])


def _serialize(body: Mapping[str, Any], out_type: str) -> bytes:
    if out_type == serializers.XML:
        return serializers.to_xml(body)
    return serializers.to_json(body)


def _response(status: int, body: Mapping[str, Any], out_type: str) -> webob.Response:
    return webob.Response(
        status=status, body=_serialize(body, out_type), content_type=out_type, charset="UTF-8"
    )


def _fault_response(error: BaseException, out_type: str) -> webob.Response:
    status = faults.status_for(error)
    response = _response(
        status, faults.fault_body(status, faults.message_for(error, status)), out_type
    )
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    response.headers.update(faults.headers_for(error, status))
    return response


def _invalid_input(error: jsonschema.ValidationError) -> exceptions.InvalidInput:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        if missing:
            return exceptions.InvalidInput(
                field=".".join([*path, missing[0]]), reason="is required"
            )
    field = ".".join(path) or "body"
    return exceptions.InvalidInput(field=field, reason=error.message)
