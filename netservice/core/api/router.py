"""Assembling the WSGI application from the core's routes and every plugin's."""

from __future__ import annotations

import logging
from typing import Any

from oslo_config import cfg

from netservice.core import exceptions
from netservice.core.api.instances import InstanceVnicsController
from netservice.core.api.openapi import OpenApiController
from netservice.core.api.projects import ProjectNetworkServiceController
from netservice.core.api.services import NetworkServicesController
from netservice.core.api.versions import VersionsController
from netservice.core.manager import NetworkServiceManager
from netservice.core.policy import Policy
from netservice.core.routemap import NetworkServiceRouteMap
from netservice.core.wsgi import auth, pipeline
from netservice.core.wsgi.app import Application

LOG = logging.getLogger(__name__)

# The core's collections under /v1.0; a plugin may not take these names.
CORE_COLLECTIONS = {
    "network_services": "the loaded plugins",
    "projects": "project associations",
    "instances": "instance VNICs",
    "openapi": "the API description",
}


def build_route_map(manager: NetworkServiceManager) -> NetworkServiceRouteMap:
    route_map = NetworkServiceRouteMap(reserved=CORE_COLLECTIONS)
    versions = VersionsController()
    root = route_map.core_routes(prefix="/")
    root.connect("/", versions, "index", public=True)
    core = route_map.core_routes()
    core.connect("/", versions, "show", public=True)
    core.resource(
        "network_services",
        NetworkServicesController(manager),
        rules={"index": "network_services:list", "show": "network_services:list"},
    )
    projects = ProjectNetworkServiceController(manager)
    project = "/projects/{project_id}/network_service"
    core.connect(project, projects, "show", ("GET",), rule="project_network_service:get")
    core.connect(project, projects, "update", ("PUT",), rule="project_network_service:set")
    core.connect(project, projects, "delete", ("DELETE",), rule="project_network_service:delete")
    vnics = InstanceVnicsController(manager)
    instance = "/instances/{instance_id}/vnics"
    core.connect(instance, vnics, "index", ("GET",), rule="instance_vnics:get")
    core.connect(instance, vnics, "create", ("POST",), rule="instance_vnics:attach")
    core.connect(instance, vnics, "delete", ("DELETE",), rule="instance_vnics:detach")
    core.connect(
        f"{instance}/{{vnic_id}}", vnics, "delete_one", ("DELETE",), rule="instance_vnics:detach"
    )
    # Described from the finished map, so it lists every plugin's routes too.
    core.connect("/openapi", OpenApiController(route_map), "show", public=True)
    for name, plugin in manager:
        routes = route_map.plugin_routes(name)
        try:
            plugin.get_os_api_service().register_routes(routes)
        except exceptions.NetserviceError:
            raise
        except Exception as err:
            LOG.exception("network service %s failed to register its routes", name)
            raise exceptions.PluginFailure(plugin=name, reason=f"register_routes: {err}") from err
    return route_map


def build_policy(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> Policy:
    """The policy enforcer with every loaded plugin's default rules.

    Two plugins may share a rule (one class loaded under two names); they may
    not give the same rule different defaults.
    """
    rules: dict[str, Any] = {}
    for name, plugin in manager:
        for rule in type(plugin).POLICY_RULES:
            known = rules.setdefault(rule.name, rule)
            if known.check_str != rule.check_str:
                raise exceptions.ConfigurationError(
                    reason=f"network service '{name}' gives policy rule {rule.name!r} the "
                    f"default {rule.check_str!r}, another service {known.check_str!r}"
                )
    return Policy(conf, rules.values())


def build_app(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> Any:
    """The whole WSGI pipeline for ``conf``: ``[api] pipeline``, auth, routing, plugins."""
    policy = build_policy(conf, manager)
    app = Application(
        build_route_map(manager),
        manager,
        policy,
        max_body_size=conf.api.max_request_body_size,
        max_limit=conf.api.max_limit,
    )
    return pipeline.wrap(
        auth.pipeline(app, conf, policy), conf, manager.database, conf.api.pipeline
    )
