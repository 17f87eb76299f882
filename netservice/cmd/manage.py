"""``netservice-manage``: project association, schema upgrades, loaded services.

    netservice-manage project network_set <project_id> <network_service|module path> [--force]
    netservice-manage project network_get <project_id>
    netservice-manage db sync          # also claims in the registry what older versions did not
    netservice-manage db version [--branch B]
    netservice-manage db history [--branch B]
    netservice-manage db upgrade [REVISION] [--branch B] [--sql]
    netservice-manage registry list [--kind address|l2]
    netservice-manage registry check   # exit 1 when the registry and the plugins' tables differ
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

from netservice.core import bootstrap, cli, config, exceptions, projects, validation
from netservice.core.api import openapi
from netservice.core.api.router import build_route_map
from netservice.core.context import RequestContext
from netservice.core.db import migration
from netservice.core.db.migration import MigrationBranch
from netservice.core.manager import NetworkServiceManager, name_for
from netservice.core.registry import Registry
from netservice.core.registry import commands as registry_commands

Handler = Callable[[cfg.ConfigOpts, NetworkServiceManager], None]


def project_network_set(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    args = conf.command
    # nova-manage took the service's module path; store the name it is loaded under.
    service = name_for(manager, args.network_service)
    projects.set_network_service(
        manager, RequestContext.admin(), args.project_id, service, force=args.force
    )
    print(f"project {args.project_id}: network service {service}")


def project_network_get(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    project_id = validation.project_id(conf.command.project_id)
    name, is_default = manager.service_name_for_project(project_id)
    print("None" if is_default else name)


def db_sync(_conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    for branch in bootstrap.sync_schema(manager):
        print(f"{branch}: up to date")
    added = registry_commands.sync(manager)
    print(f"registry: {added} claim(s) backfilled" if added else "registry: up to date")


def registry_list(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    for line in registry_commands.table(Registry(manager.database).entries(conf.command.kind)):
        print(line)


class Drift(exceptions.NetserviceError):
    """``registry check`` found differences (already printed): exit 1."""

    msg_fmt = (
        "the registry differs from the plugins' tables in %(count)s place(s); "
        "'netservice-manage db sync' claims what is missing"
    )


def registry_check(_conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    lines = registry_commands.check(manager)
    for line in lines:
        print(line)
    if lines:
        raise Drift(count=len(lines))
    print("registry: matches every plugin's tables")


def _branches(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> list[MigrationBranch]:
    """Every branch, or the one ``--branch`` names (ConfigurationError naming the others)."""
    found = bootstrap.branches(manager)
    wanted = conf.command.branch
    if wanted is None:
        return found
    chosen = [b for b in found if b.name == wanted]
    if not chosen:
        names = ", ".join(b.name for b in found)
        raise exceptions.ConfigurationError(
            reason=f"--branch {wanted}: no such migration branch; the branches are {names}"
        )
    return chosen


def db_version(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    """Each branch's revision in the database, and whether it is the head."""
    for branch in _branches(conf, manager):
        at = migration.current(manager.database, branch)
        head = migration.heads(branch)
        shown = ",".join(at) or "none"
        if at == head:
            print(f"{branch.name}: {shown} (head)")
        else:
            print(f"{branch.name}: {shown} (head is {','.join(head)}: run 'netservice-manage db "
                  f"upgrade')")  # fmt: skip


def db_history(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    """Each branch's revisions, newest first; needs no database."""
    for branch in _branches(conf, manager):
        print(f"{branch.name}:")
        for rev in migration.history(branch):
            parent = rev.down_revision or "<base>"
            head = " (head)" if rev.is_head else ""
            print(f"  {parent} -> {rev.revision}{head}, {rev.doc}")


def _branches_for(
    conf: cfg.ConfigOpts, manager: NetworkServiceManager, revision: str
) -> list[MigrationBranch]:
    """The branches an upgrade to ``revision`` concerns: all for head, else the one holding it."""
    found = _branches(conf, manager)
    if revision in ("head", "heads"):
        return found
    target = revision.rpartition(":")[2]
    holding = [b for b in found if migration.has_revision(b, target)]
    if not holding:
        raise exceptions.ConfigurationError(
            reason=f"revision {target!r} is in no migration branch "
            f"({', '.join(b.name for b in found)}); 'netservice-manage db history' lists them"
        )
    return holding


def db_upgrade(conf: cfg.ConfigOpts, manager: NetworkServiceManager) -> None:
    """Upgrade to a revision (default: every head), or print the SQL with ``--sql``."""
    args = conf.command
    revision = args.revision
    if ":" in revision and not args.sql:
        raise exceptions.InvalidInput(field="revision", reason="a range FROM:TO is for --sql only")
    for branch in _branches_for(conf, manager, revision):
        wanted = "heads" if revision in ("head", "heads") else revision
        if args.sql:
            print(f"-- netservice migration branch {branch.name}: upgrade to {wanted}")
            migration.upgrade_sql(manager.database, branch, sys.stdout, wanted)
        else:
            migration.upgrade(manager.database, branch, wanted)
            print(f"{branch.name}: at {','.join(migration.current(manager.database, branch))}")


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
    setter.add_argument(
        "network_service", help="a loaded service's name, or its plugin's module or class path"
    )
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
    branch_help = "only this migration branch: core, or a loaded plugin's (default: every one)"
    version = db_actions.add_parser("version", help="each branch's revision in the database")
    version.add_argument("--branch", help=branch_help)
    version.set_defaults(handler=db_version)
    history = db_actions.add_parser("history", help="each branch's revisions, newest first")
    history.add_argument("--branch", help=branch_help)
    history.set_defaults(handler=db_history)
    upgrade = db_actions.add_parser("upgrade", help="upgrade to a revision, or print its SQL")
    upgrade.add_argument(
        "revision",
        nargs="?",
        default="head",
        help="head (default: every branch's head), or a revision id such as core_0002 "
        "(its branch only); with --sql also FROM:TO",
    )
    upgrade.add_argument("--branch", help=branch_help)
    upgrade.add_argument(
        "--sql",
        action="store_true",
        help="print the SQL for a DBA instead of running it; no database connection is made",
    )
    upgrade.set_defaults(handler=db_upgrade)

    registry = subparsers.add_parser("registry", help="the deployment-wide registry of claims")
    registry_actions = registry.add_subparsers(dest="action", required=True)
    lister = registry_actions.add_parser("list", help="who owns which address space and L2 name")
    lister.add_argument("--kind", choices=("address", "l2"), help="only this family of claims")
    lister.set_defaults(handler=registry_list)
    registry_actions.add_parser(
        "check", help="compare with every plugin's tables; exit 1 on drift"
    ).set_defaults(handler=registry_check)

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
    offline = handler is db_history or (handler is db_upgrade and conf.command.sql)
    try:
        manager = bootstrap.open_services(conf, wait=not offline)
        if handler not in (db_sync, db_version, db_history, db_upgrade):
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
