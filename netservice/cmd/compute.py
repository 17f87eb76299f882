"""``netservice-compute``: plays compute's role, for tests and the demo.

    netservice-compute [--config-file F] boot --project P --instance I [--vnic ID ...] [--legacy]
    netservice-compute [--config-file F] terminate --project P --instance I
    netservice-compute [--config-file F] show --project P --instance I

``boot`` runs the calls compute makes (``netservice.compute.instances``),
then starts the instance from the returned ``<interface>`` XML, one
``ethN`` per NIC in order.  With ``[compute] hypervisor = standin`` it is a
namespace I, and each NIC gets its address by DHCP or, when the network
injects its configuration, as compute would have injected it.  With
``libvirt`` it is a QEMU domain I (``netservice.linux.guests``) that does
both itself; boot waits for its report and prints it.  ``terminate`` undoes
both.  Errors print one line and exit 1.  Needs root.
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
CLI_OPTS = [COMMAND]  # oslo.log adds --debug, --log-file, ...


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


def _guests(conf: cfg.ConfigOpts) -> Any:
    from pathlib import Path  # noqa: PLC0415

    from netservice.linux import guestimage  # noqa: PLC0415 - only libvirt needs it
    from netservice.linux.guests import LibvirtGuests  # noqa: PLC0415

    return LibvirtGuests(
        conf.compute.libvirt_uri,
        Path(conf.state_path) / "instances",
        guestimage.build(conf.state_path),
        memory_mib=conf.compute.guest_memory_mb,
    )


def _boot_libvirt(conf: cfg.ConfigOpts, network: Any) -> None:
    guests = _guests(conf)
    guest = guests.create(conf.command.instance, network.interfaces, network.injected_config)
    report = guests.wait_ready(guest, timeout=conf.compute.boot_timeout)
    how = "injected" if network.injected_config is not None else "dhcp"
    nics = [line.split() for line in report if line.startswith("nic ")]
    for position, vnic in enumerate(guest.vnics):
        got = next((f[3] for f in nics if f[1] == f"eth{position}"), "inet=")
        print(f"{guest.name} eth{position} {vnic.mac} on {vnic.bridge}: {got} ({how})")
    for line in report:
        print(f"{guest.name} console: {line}")


def boot(conf: cfg.ConfigOpts, instances: InstanceNetworks, context: RequestContext) -> None:
    args = conf.command
    if args.legacy and args.vnic:
        raise exceptions.InvalidInput(field="--vnic", reason="cannot be given with --legacy")
    if args.legacy:
        network = instances.create_instance_network_legacy(context, args.instance)
    else:
        network = instances.create_instance_network(context, args.instance, args.vnic)
    if conf.compute.hypervisor == "libvirt":
        _boot_libvirt(conf, network)
        return
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
    # The network call goes first: it checks that the caller owns the instance.
    removed = instances.destroy_instance_network(context, conf.command.instance)
    if conf.compute.hypervisor == "libvirt":
        _guests(conf).destroy(conf.command.instance)
    else:
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
