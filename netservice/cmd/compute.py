"""``netservice-compute``: plays compute's role, for tests and the demo.

    netservice-compute [--config-file F] boot --project P --instance I [--vnic ID ...] [--legacy]
    netservice-compute [--config-file F] terminate --project P --instance I
    netservice-compute [--config-file F] show --project P --instance I

``boot`` runs the calls compute makes (``netservice.compute.instances``),
then starts a stand-in instance (namespace I) from the returned
``<interface>`` XML, one ``ethN`` per NIC in order, and gives each NIC its
address: by DHCP, or, when the network injects its configuration, the
static address compute would have injected.  ``terminate`` undoes both.
Errors print one line and exit 1.  Needs root for the stand-in.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

import netaddr
from oslo_config import cfg

from netservice.compute.instances import InstanceNetworks
from netservice.core import bootstrap, cli, config, exceptions
from netservice.core.context import RequestContext
from netservice.core.network_info import NetworkInfo


def _add_parsers(subparsers: Any) -> None:
    for name, text in (
        ("boot", "set up an instance's network and start its stand-in"),
        ("terminate", "tear it down"),
        ("show", "print its network info"),
    ):
        parser = subparsers.add_parser(name, help=text)
        parser.add_argument("--project", required=True)
        parser.add_argument("--instance", required=True)
        if name == "boot":
            parser.add_argument("--vnic", action="append", default=[], help="repeat for more NICs")
            parser.add_argument("--legacy", action="store_true", help="one new VNIC, no --vnic")


COMMAND = cfg.SubCommandOpt("command", title="commands", handler=_add_parsers)
CLI_OPTS = [cfg.BoolOpt("debug", short="d", default=False, help="Log at debug level."), COMMAND]


def _standins(conf: cfg.ConfigOpts) -> Any:
    from netservice.linux import factory  # noqa: PLC0415 - only boot and terminate need it
    from netservice.linux.standin import StandIns  # noqa: PLC0415

    linux = conf.linux
    return StandIns(
        factory.links(linux),
        lambda ns: factory.links(linux, namespace=ns),
        lambda ns: factory.runner(linux, namespace=ns),
    )


def _static(harness: Any, standin: Any, position: int, info: NetworkInfo) -> str:
    """Configure what file injection would have written; returns the address."""
    if not info["ip_address"]:
        return "-"
    prefix = netaddr.IPAddress(info["netmask"] or "255.255.255.255").netmask_bits()
    inside = harness.links_for(standin.namespace)
    try:
        inside.ensure_address(standin.ifname(position), f"{info['ip_address']}/{prefix}")
        if info["gateway"]:
            inside.ensure_default_route(standin.ifname(position), info["gateway"])
    finally:
        inside.close()
    return f"{info['ip_address']}/{prefix} via {info['gateway'] or '-'} (injected)"


def boot(conf: cfg.ConfigOpts, instances: InstanceNetworks, context: RequestContext) -> None:
    args = conf.command
    if args.legacy and args.vnic:
        raise exceptions.InvalidInput(field="--vnic", reason="cannot be given with --legacy")
    if args.legacy:
        network = instances.create_instance_network_legacy(context, args.instance)
    else:
        network = instances.create_instance_network(context, args.instance, args.vnic)
    infos = instances.get_instance_network_info(context, args.instance)
    harness = _standins(conf)
    xml = "<devices>" + "".join(network.interfaces) + "</devices>"
    standin = harness.create(args.instance, xml)
    for position, (vnic, info) in enumerate(zip(standin.vnics, infos, strict=True)):
        if network.injected_config is not None:
            got = _static(harness, standin, position, info)
        elif info["ip_address"] is None and info["dhcp_server"] is None:
            # A pure L2 network (the l2 plugin): the guest has only its link-local address.
            got = f"{netaddr.EUI(vnic.mac).ipv6_link_local()}/64 (link-local)"
        else:
            lease = harness.dhcp(standin, position)
            got = f"{lease.ip}/{lease.prefixlen} via {lease.router or '-'} (dhcp)"
        print(f"{args.instance} eth{position} {vnic.mac} on {vnic.bridge}: {got}")


def terminate(conf: cfg.ConfigOpts, instances: InstanceNetworks, context: RequestContext) -> None:
    removed = instances.destroy_instance_network(context, conf.command.instance)
    _standins(conf).destroy(conf.command.instance)
    print(f"{conf.command.instance}: {removed} NIC(s) torn down")


def show(conf: cfg.ConfigOpts, instances: InstanceNetworks, context: RequestContext) -> None:
    infos = instances.get_instance_network_info(context, conf.command.instance)
    print(json.dumps({"instance": conf.command.instance, "network_info": infos}, indent=2))


@cli.closed_pipe_is_quiet
def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-compute", cli_opts=CLI_OPTS
        )
        bootstrap.setup_logging(conf, logging.WARNING)
        manager = bootstrap.open_services(conf)
        if manager.database.is_sqlite and conf.database.sync_on_start:
            bootstrap.sync_schema(manager)
        context = RequestContext(project_id=conf.command.project)
        handler = {"boot": boot, "terminate": terminate, "show": show}[conf.command.name]
        handler(conf, InstanceNetworks(manager), context)
    except (exceptions.NetserviceError, cfg.Error) as err:
        print(f"netservice-compute: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
