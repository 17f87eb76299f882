"""NetworkServiceRouteMap: the core's routes and each plugin's, under their prefixes.

Plugins never see the ``routes.Mapper``: they get a ``PluginRoutes`` whose
paths are relative to ``/v1.0/<plugin_name>`` and are checked, so a plugin
cannot mount a route outside its own prefix.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

import routes

from netservice.core import exceptions

VERSION = "v1.0"
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_PATH = re.compile(r"^(/[A-Za-z0-9_\-]+|/\{[A-Za-z_][A-Za-z0-9_]*\})*/?$")


@dataclasses.dataclass(frozen=True)
class RouteTarget:
    """What a matched route calls."""

    controller: Any
    action: str
    plugin: str | None
    public: bool = False
    rule: str | None = None
    """The policy rule checked (for the caller's own project) before the action runs."""
    # The route's path template (``/v1.0/vlan/networks/{id}``): a label
    # that stays the same for every id (metrics, logs).
    path: str = ""


@dataclasses.dataclass(frozen=True)
class DescribedRoute:
    """One connected route, as the API description lists it."""

    path: str
    methods: tuple[str, ...]
    target: RouteTarget


class MethodNotAllowed(exceptions.NetserviceError):
    msg_fmt = "Method %(method)s is not allowed on %(path)s; allowed: %(allowed)s"

    def __init__(self, method: str, path: str, allowed: list[str]) -> None:
        self.allowed = allowed
        super().__init__(method=method, path=path, allowed=", ".join(allowed))


class RouteNotFound(exceptions.NotFound):
    msg_fmt = "No resource at %(path)s"


class _Routes:
    def __init__(self, route_map: NetworkServiceRouteMap, prefix: str, plugin: str | None) -> None:
        self._map = route_map
        self._prefix = prefix
        self._plugin = plugin

    def connect(
        self,
        path: str,
        controller: Any,
        action: str,
        methods: tuple[str, ...] = ("GET",),
        *,
        public: bool = False,
        rule: str | None = None,
    ) -> None:
        """Route ``methods`` on ``path`` (relative to the prefix) to ``controller.action``.

        ``rule`` names the policy rule guarding the route: it is checked with
        the caller's own project as the target before the action runs, so a
        caller it refuses gets 403 whatever the body or id; the action still
        checks the resource's own project.

        Raises ConfigurationError for a path that could leave the prefix, an
        unknown method, or an action the controller lacks.
        """
        owner = f"plugin '{self._plugin}'" if self._plugin else "the core"
        if path == "":
            path = "/"
        if not _PATH.match(path):
            raise exceptions.ConfigurationError(
                reason=f"{owner}: route path {path!r} must be '/'-separated names or "
                "{variables} below its prefix; it may not contain '..', '//', '.' or ':'"
            )
        if not callable(getattr(controller, action, None)):
            raise exceptions.ConfigurationError(
                reason=f"{owner}: route {path!r} names action {action!r}, which "
                f"{type(controller).__name__} does not have"
            )
        for method in methods:
            if method not in METHODS:
                raise exceptions.ConfigurationError(
                    reason=f"{owner}: route {path!r} has unknown method {method!r}"
                )
        full = (self._prefix + path).rstrip("/") or "/"
        target = RouteTarget(controller, action, self._plugin, public, rule=rule, path=full)
        key = self._map.add_target(target)
        self._map.described.append(DescribedRoute(full, tuple(methods), target))
        self._map.mapper.connect(
            None, full, netservice_target=key, conditions={"method": list(methods)}
        )

    def resource(
        self,
        collection: str,
        controller: Any,
        *,
        parent: str = "",
        member_key: str = "id",
        rules: Mapping[str, str] | None = None,
    ) -> None:
        """The standard routes of a collection, for the actions the controller has.

        ``GET /c`` index, ``GET /c/detail`` detail, ``POST /c`` create,
        ``GET|PUT|DELETE /c/{id}`` show, update, delete, and
        ``POST /c/{id}/action`` action.  ``rules`` maps an action to the
        policy rule guarding its route (see ``connect``).
        """
        rules = rules or {}
        base = f"{parent}/{collection}"
        member = f"{base}/{{{member_key}}}"
        table: list[tuple[str, str, str]] = [
            (f"{base}/detail", "detail", "GET"),
            (base, "index", "GET"),
            (base, "create", "POST"),
            (f"{member}/action", "action", "POST"),
            (member, "show", "GET"),
            (member, "update", "PUT"),
            (member, "delete", "DELETE"),
        ]
        for path, action, method in table:
            if callable(getattr(controller, action, None)):
                self.connect(path, controller, action, (method,), rule=rules.get(action))


class PluginRoutes(_Routes):
    """The routes one plugin may add, all below ``/v1.0/<plugin_name>``."""


class NetworkServiceRouteMap:
    """Wraps one ``routes.Mapper`` for the core and every plugin."""

    def __init__(self, reserved: Mapping[str, str] | None = None) -> None:
        self.mapper = routes.Mapper()
        self._reserved = dict(reserved or {})
        # routes stores defaults as strings, so targets are kept here by key.
        self._targets: dict[str, RouteTarget] = {}
        # Every route in the order it was connected (netservice.core.api.openapi).
        self.described: list[DescribedRoute] = []

    def add_target(self, target: RouteTarget) -> str:
        key = str(len(self._targets))
        self._targets[key] = target
        return key

    def core_routes(self, prefix: str = f"/{VERSION}") -> _Routes:
        return _Routes(self, "" if prefix == "/" else prefix, None)

    def plugin_routes(self, plugin_name: str) -> PluginRoutes:
        """The route builder for one plugin; refuses names the core uses."""
        if plugin_name in self._reserved:
            raise exceptions.ConfigurationError(
                reason=f"network service name '{plugin_name}' collides with the core's "
                f"route /{VERSION}/{plugin_name} ({self._reserved[plugin_name]})"
            )
        return PluginRoutes(self, f"/{VERSION}/{plugin_name}", plugin_name)

    def match(self, path: str, method: str) -> tuple[RouteTarget, dict[str, str]]:
        """The target and path variables for a request.

        Raises RouteNotFound (404), or MethodNotAllowed (405) listing the
        methods the path does accept.
        """
        found = self.mapper.match(path, environ={"REQUEST_METHOD": method})
        if found is not None:
            args = dict(found)
            target = self._targets[args.pop("netservice_target")]
            return target, {k: v for k, v in args.items() if v is not None}
        allowed = [
            other
            for other in METHODS
            if other != method
            and self.mapper.match(path, environ={"REQUEST_METHOD": other}) is not None
        ]
        if allowed:
            raise MethodNotAllowed(method, path, allowed)
        raise RouteNotFound(path=path)
