"""NetworkServiceRouteMap: prefixes, reserved names, 404 and 405."""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.routemap import MethodNotAllowed, NetworkServiceRouteMap, RouteNotFound


class Ctl:
    def index(self, req): ...
    def show(self, req, id): ...
    def create(self, req, body): ...


def test_plugin_routes_are_mounted_under_their_prefix():
    rmap = NetworkServiceRouteMap()
    rmap.plugin_routes("flat").resource("networks", Ctl())
    target, args = rmap.match("/v1.0/flat/networks/7", "GET")
    assert (target.action, target.plugin, args) == ("show", "flat", {"id": "7"})
    with pytest.raises(RouteNotFound):
        rmap.match("/v1.0/networks/7", "GET")


@pytest.mark.parametrize(
    "path", ["/../vlan/networks", "//x", "/a/../../b", "networks", "/a.b", "/x:y", "/{version}x"]
)
def test_a_plugin_cannot_leave_its_prefix(path):
    routes = NetworkServiceRouteMap().plugin_routes("flat")
    with pytest.raises(exceptions.ConfigurationError, match="plugin 'flat'"):
        routes.connect(path, Ctl(), "index")


def test_reserved_names_are_refused():
    rmap = NetworkServiceRouteMap(reserved={"projects": "project associations"})
    with pytest.raises(exceptions.ConfigurationError, match="collides with the core's route"):
        rmap.plugin_routes("projects")


def test_unknown_action_and_method_are_refused():
    routes = NetworkServiceRouteMap().plugin_routes("flat")
    with pytest.raises(exceptions.ConfigurationError, match="does not have"):
        routes.connect("/x", Ctl(), "update")
    with pytest.raises(exceptions.ConfigurationError, match="unknown method"):
        routes.connect("/x", Ctl(), "index", ("FETCH",))


def test_resource_registers_only_existing_actions_and_405_lists_allowed():
    rmap = NetworkServiceRouteMap()
    rmap.plugin_routes("flat").resource("networks", Ctl())
    with pytest.raises(MethodNotAllowed) as info:
        rmap.match("/v1.0/flat/networks/7", "DELETE")
    assert info.value.allowed == ["GET"]
    with pytest.raises(MethodNotAllowed) as info:
        rmap.match("/v1.0/flat/networks", "PUT")
    assert info.value.allowed == ["GET", "POST"]
