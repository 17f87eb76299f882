"""Every route of the core and of every plugin is guarded by a documented rule,
and the reader role reads what a member reads and changes nothing."""

from __future__ import annotations

import re

import pytest
from oslo_policy import policy as oslo_policy

from netservice.core import bootstrap
from netservice.core.api.router import build_app, build_policy, build_route_map
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

PLUGINS = ("flat", "flat_dhcp", "vlan", "l2")
PUBLIC = {"/", "/v1.0", "/v1.0/openapi"}
WRITES = ("POST", "PUT", "DELETE", "PATCH")
# A project of each plugin's, and one for the core's routes.
PROJECT = {name: f"p-{name}" for name in PLUGINS}
CORE_PROJECT = PROJECT["vlan"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    path = write_config(str(tmp_path_factory.mktemp("cfg")), PLUGINS, default="vlan")
    conf = make_conf(path)
    manager = bootstrap.open_services(conf)
    bootstrap.sync_schema(manager)
    app = build_app(conf, manager)
    admin = ApiClient(app, "ops", ("admin",))
    for name, project in PROJECT.items():
        reply = admin.put(
            f"/v1.0/projects/{project}/network_service", {"network_service": {"name": name}}
        )
        assert reply.status == 200, reply.body
    yield conf, manager, app
    manager.database.dispose()


def _routes(manager):
    return [
        (method, route)
        for route in build_route_map(manager).described
        for method in route.methods
    ]


def _concrete(path: str) -> str:
    # Any value will do: the route's rule is checked before the action looks anything up.
    return re.sub(r"\{[A-Za-z_]+\}", "00000000-0000-4000-8000-000000000001", path)


def _project_of(route) -> str:
    return PROJECT[route.target.plugin] if route.target.plugin else CORE_PROJECT


def test_every_route_is_guarded_by_a_documented_rule_listing_it(loaded):
    conf, manager, _ = loaded
    registered = build_policy(conf, manager).registered_rules()
    routes = _routes(manager)
    assert {r.target.plugin for _, r in routes} >= {None, *PLUGINS}
    documented = set()
    for method, route in routes:
        if route.target.public:
            assert route.path in PUBLIC, f"{method} {route.path} is public"
            continue
        rule = registered.get(route.target.rule or "")
        assert rule is not None, f"{method} {route.path}: no registered rule guards it"
        assert isinstance(rule, oslo_policy.DocumentedRuleDefault), rule.name
        assert {"method": method, "path": route.path} in rule.operations, (
            f"{rule.name} does not list {method} {route.path}"
        )
        assert rule.scope_types == ["project"], rule.name
        documented.add((method, route.path))
    # And no rule documents an operation that is not a route.
    listed = {
        (op["method"], op["path"])
        for rule in registered.values()
        if isinstance(rule, oslo_policy.DocumentedRuleDefault)
        for op in rule.operations
        if not rule.name.startswith("test")
    }
    assert listed == documented


def test_the_reader_reads_what_a_member_reads_and_changes_nothing(loaded):
    conf, manager, app = loaded
    registered = build_policy(conf, manager).registered_rules()
    reads = writes = 0
    for method, route in _routes(manager):
        if route.target.public:
            continue
        project = _project_of(route)
        path = _concrete(route.path)
        reader = ApiClient(app, project, ("reader",)).request(method, path, {})
        if method in WRITES:
            assert reader.status == 403, (method, path, reader.status, reader.body)
            writes += 1
            continue
        member = ApiClient(app, project, ("member", "reader")).request(method, path)
        assert reader.status == member.status, (path, reader.status, member.status)
        assert reader.status < 500, (path, reader.body)
        admin_only = registered[route.target.rule].check_str == "rule:admin_only"
        assert (reader.status == 403) == admin_only, (path, reader.status)
        reads += 1
    assert reads > 20 and writes > 20


def test_a_reader_sees_its_projects_vnic_and_cannot_touch_it(loaded):
    _, _, app = loaded
    admin = ApiClient(app, "ops", ("admin",))
    reply = admin.post("/v1.0/flat/networks", {"network": {"label": "r", "cidr": "10.9.0.0/24"}})
    assert reply.status == 201, reply.body
    network_id = reply.json()["networks"][0]["id"]
    member = ApiClient(app, PROJECT["flat"], ("member", "reader"))
    reader = ApiClient(app, PROJECT["flat"], ("reader",))
    other_reader = ApiClient(app, "p-flat-2", ("reader",))
    put = {"network_service": {"name": "flat"}}
    assert admin.put("/v1.0/projects/p-flat-2/network_service", put).status == 200
    reply = member.post("/v1.0/flat/vnics", {"vnic": {"network_id": network_id}})
    assert reply.status == 201, reply.body
    vnic = reply.json()["vnic"]["id"]

    assert reader.get(f"/v1.0/flat/vnics/{vnic}").status == 200
    assert reader.get(f"/v1.0/flat/vnics/{vnic}/network_info").status == 200
    assert reader.get("/v1.0/flat/networks").status == 200
    assert reader.delete(f"/v1.0/flat/vnics/{vnic}").status == 403
    assert reader.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic}}).status == 403
    assert reader.post("/v1.0/flat/vnics", {"vnic": {"network_id": network_id}}).status == 403
    # Another project's reader is told nothing exists.
    assert other_reader.get(f"/v1.0/flat/vnics/{vnic}").status == 404
    # A reader that is also a member (keystone's implied roles) may change it.
    assert member.delete(f"/v1.0/flat/vnics/{vnic}").status == 204
