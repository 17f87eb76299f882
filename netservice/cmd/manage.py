"""``netservice-manage``: project association, schema upgrades, loaded services.

    netservice-manage project network_set <project_id> <network_service> [--force]
    netservice-manage project network_get <project_id>
    netservice-manage db sync
    netservice-manage service list
    netservice-manage api openapi      # the OpenAPI 3.1 document (docs/openapi.json)

Errors print one line to stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from oslo_config import cfg

from netservice.core import bootstrap, cli, config, projects, validation
from netservice.core.api import openapi
from netservice.core.api.router import build_route_map
from netservice.core.context import RequestContext
from netservice.core.manager import NetworkServiceManager

Handler = Callable[[cfg.ConfigOpts, NetworkServiceManager], None]


def project_network_set(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    args = conf.command
    projects.set_network_service(
        manager, RequestContext.admin(), args.project_id, args.network_service, force=args.force
    )
    print(f"project {args.project_id}: network service {args.network_service}")


def project_network_get(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    project_id = validation.project_id(conf.command.project_id)
    name, is_default = manager.service_name_for_project(project_id)
    print("None" if is_default else name)


def db_sync(_conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    for branch in bootstrap.sync_schema(manager):
        print(f"{branch}: up to date")


def service_list(_conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    rows = [
        (name, "yes" if name == manager.default_service else "", type(p).description)
        for name, p in manager
    ]
    width = max([len("name"), *(len(r[0]) for r in rows)])
    print(f"{'name':<{width}}  default  description")
    for name, default, description in rows:
        print(f"{name:<{width}}  {default:<7}  {description}")


def api_openapi(_conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    """Print the document ``GET /v1.0/openapi.json`` serves, for the loaded services."""
    print(json.dumps(openapi.document(build_route_map(manager)), indent=2, sort_keys=True))


def _add_parsers(subparsers: Any) -> None:
    project = subparsers.add_parser("project", help="project ↔ network service association")
    project_actions = project.add_subparsers(dest="action", required=True)
    setter = project_actions.add_parser("network_set", help="associate a project with a service")
    setter.add_argument("project_id")
    setter.add_argument("network_service")
    setter.add_argument(
        "--force", action="store_true", help="move even if resources would be orphaned"
    )
    setter.set_defaults(handler=project_network_set)
    getter = project_actions.add_parser("network_get", help="print a project's associated service")
    getter.add_argument("project_id")
    getter.set_defaults(handler=project_network_get)

    db = subparsers.add_parser("db", help="database schema")
    db_actions = db.add_subparsers(dest="action", required=True)
    db_actions.add_parser(
        "sync", help="upgrade the core's and every plugin's branch"
    ).set_defaults(handler=db_sync)

    service = subparsers.add_parser("service", help="loaded network services")
    service_actions = service.add_subparsers(dest="action", required=True)
    service_actions.add_parser("list").set_defaults(handler=service_list)

    api = subparsers.add_parser("api", help="the REST API")
    api_actions = api.add_subparsers(dest="action", required=True)
    api_actions.add_parser(
        "openapi", help="print its OpenAPI 3.1 document (docs/openapi.json)"
    ).set_defaults(handler=api_openapi)


COMMAND = cfg.SubCommandOpt("command", title="commands", handler=_add_parsers)
CLI_OPTS = [COMMAND]  # oslo.log adds --debug, --log-file, ...


@cli.closed_pipe_is_quiet
def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-manage", cli_opts=CLI_OPTS
        )
    except (cfg.Error, argparse.ArgumentError) as err:
        print(f"netservice-manage: error: {err}", file=sys.stderr)
        return 2
    bootstrap.setup_logging(conf, logging.WARNING)
    handler: Handler = conf.command.handler
    try:
        manager = bootstrap.open_services(conf)
        if handler is not db_sync:
            if manager.database.is_sqlite and conf.database.sync_on_start:
                bootstrap.sync_schema(manager)
            else:
                bootstrap.check_schema(manager)
        handler(conf, manager)
    except BrokenPipeError:
        raise  # a closed stdout: cli.closed_pipe_is_quiet ends quietly
    except Exception as err:  # one line, never a traceback
        print(f"netservice-manage: error: {bootstrap.describe_failure(err)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
