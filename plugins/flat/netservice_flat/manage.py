"""``netservice-flat-manage``: nova-manage's network and fixed commands for Flat.

    netservice-flat-manage [--config-file F] network create [--label L] [--fixed_range_v4 R] ...
    netservice-flat-manage network create 192.168.0.0/24 1 256   # the positional form
    netservice-flat-manage network list
    netservice-flat-manage network delete [--fixed_range R | --uuid U]
    netservice-flat-manage network modify <fixed_range> [--project P | --disassociate-project]
                                                        [--host H | --disassociate-host]
    netservice-flat-manage fixed list [--host H]
    netservice-flat-manage fixed reserve|unreserve --address A

It builds the plugin from the configuration (``[flat]``, ``[database]``)
and calls the same service layer as the REST API.  Errors print one line to
stderr and exit 1; usage errors, and an unknown address for ``fixed``, exit 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from netservice.core import bootstrap, config, exceptions
from netservice.core.db import migration
from netservice.core.db.session import Database
from netservice.core.plugin import PluginContext
from netservice.ipam.exceptions import FixedIpNotFound
from netservice.ipam.planner import NetworkRequest
from oslo_config import cfg

from netservice_flat import opts
from netservice_flat.cli_args import POSITIONAL, add_parsers
from netservice_flat.plugin import BRANCH, FlatPlugin

PROG = "netservice-flat-manage"
Handler = Callable[[Any, FlatPlugin], int | None]

NETWORK_FMT = "%-5s\t%-18s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s"
FIXED_FMT = "%-18s\t%-15s\t%-17s\t%-15s\t%s"


def network_create(args: Any, plugin: FlatPlugin) -> None:
    values = {name: getattr(args, name) for name in _CREATE_FIELDS}
    given = list(args.positional or [])
    if len(given) > len(POSITIONAL):
        raise exceptions.InvalidInput(
            field="arguments",
            reason=f"at most {len(POSITIONAL)} positional values "
            f"({' '.join(POSITIONAL)}), got {len(given)}",
        )
    for name, value in zip(POSITIONAL, given, strict=False):
        if values[name] is not None:
            raise exceptions.InvalidInput(
                field=name, reason="given both as an option and positionally"
            )
        values[name] = value
    if given and values["label"] is None:
        # Diablo's positional form had no label argument and named the network "public".
        values["label"] = "public"
    _, warnings = plugin.networks.create(NetworkRequest(**values))
    for warning in warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


_CREATE_FIELDS = (
    "label", "cidr", "num_networks", "network_size", "vlan_start", "vpn_start", "cidr_v6",
    "vlan", "gateway", "gateway_v6", "bridge", "bridge_interface", "multi_host", "dns1",
    "dns2", "uuid", "fixed_cidr", "project_id", "allowed_start", "allowed_end",
)  # fmt: skip


def network_list(_args: Any, plugin: FlatPlugin) -> None:
    print(NETWORK_FMT % ("id", "IPv4", "IPv6", "start address", "DNS1", "DNS2", "VlanID",
                         "project", "uuid"))  # fmt: skip
    for net in plugin.networks.list():
        print(NETWORK_FMT % (net.id, net.cidr, net.cidr_v6, net.dhcp_start, net.dns1, net.dns2,
                             net.vlan, net.project_id, net.uuid))  # fmt: skip


def network_delete(args: Any, plugin: FlatPlugin) -> None:
    refs = [r for r in (args.fixed_range, args.uuid, args.ref) if r]
    if len(refs) != 1:
        raise exceptions.InvalidInput(
            field="fixed_range", reason="give exactly one of --fixed_range and --uuid"
        )
    plugin.networks.delete(refs[0])


def network_modify(args: Any, plugin: FlatPlugin) -> None:
    plugin.networks.modify(
        args.fixed_range,
        project=args.project,
        disassociate_project=args.disassociate_project,
        host=args.host_name,
        disassociate_host=args.disassociate_host,
    )


def fixed_list(args: Any, plugin: FlatPlugin) -> None:
    entries = plugin.networks.fixed_list(args.host_name)
    if not entries:
        print("No fixed IP found.")
        return
    print(FIXED_FMT % ("network", "IP address", "MAC address", "hostname", "host"))
    for entry in entries:
        print(FIXED_FMT % (entry.network.cidr, entry.ip.address, entry.mac or "None",
                           entry.ip.instance_id or "None", entry.ip.host or "None"))  # fmt: skip


def _reserve(args: Any, plugin: FlatPlugin, reserved: bool) -> int | None:
    try:
        plugin.networks.set_reserved(args.address, reserved)
    except (FixedIpNotFound, exceptions.InvalidInput) as err:
        # nova-manage exited 2 for an address it could not find.
        print(f"error: {err}", file=sys.stderr)
        return 2
    return None


def fixed_reserve(args: Any, plugin: FlatPlugin) -> int | None:
    return _reserve(args, plugin, True)


def fixed_unreserve(args: Any, plugin: FlatPlugin) -> int | None:
    return _reserve(args, plugin, False)


HANDLERS: dict[str, Handler] = {
    "network create": network_create,
    "network list": network_list,
    "network delete": network_delete,
    "network modify": network_modify,
    "fixed list": fixed_list,
    "fixed reserve": fixed_reserve,
    "fixed unreserve": fixed_unreserve,
}

COMMAND = cfg.SubCommandOpt("command", title="commands", handler=add_parsers)
CLI_OPTS = [cfg.BoolOpt("debug", short="d", default=False, help="Log at debug level."), COMMAND]


def load_plugin(conf: cfg.ConfigOpts) -> FlatPlugin:
    """The plugin on ``[database] connection``, its schema current.

    On SQLite with ``sync_on_start`` the flat branch is upgraded; a server
    database must already be (``netservice-manage db sync``).
    """
    conf.register_opts(opts.FLAT_OPTS, group=opts.GROUP)
    try:
        database = Database(conf.database.connection)
    except Exception as err:
        raise exceptions.ConfigurationError(
            reason=f"[database] connection: {type(err).__name__}: {err}"
        ) from err
    if database.is_sqlite and conf.database.sync_on_start:
        migration.upgrade(database, BRANCH)
    elif migration.pending(database, BRANCH):
        raise exceptions.ConfigurationError(
            reason="the database schema is behind for flat: run 'netservice-manage db sync'"
        )
    context = PluginContext(
        name=opts.GROUP,
        config=conf[opts.GROUP],
        database=database,
        host=conf.host,
        state_path=conf.state_path,
        global_config=conf,
    )
    return FlatPlugin(context)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(sys.argv[1:] if argv is None else argv, prog=PROG, cli_opts=CLI_OPTS)
    except (cfg.Error, argparse.ArgumentError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    bootstrap.setup_logging(conf, logging.WARNING)
    args = conf.command
    handler = HANDLERS[f"{args.name} {args.action}"]
    try:
        plugin = load_plugin(conf)
        try:
            status = handler(args, plugin)
        finally:
            plugin.context.database.dispose()
    except exceptions.NetserviceError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
