"""The ``network`` and ``fixed`` commands, on a plugin's ``networks`` service.

Each handler takes the parsed arguments, the plugin (anything with a
``networks`` attribute) and the program's name for messages, prints
nova-manage's output, and returns an exit status (None for 0).  Errors are
raised; ``tool.Tool`` prints them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from netservice.core import exceptions
from netservice.ipam.exceptions import FixedIpNotFound
from netservice.networks.domain import Network
from netservice.networks.manage.args import POSITIONAL, create_options
from netservice.networks.unplanned import network_request

Handler = Callable[[Any, Any, str], int | None]

NETWORK_FMT = "%-5s\t%-18s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s\t%-15s"
FIXED_FMT = "%-18s\t%-15s\t%-17s\t%-15s\t%s"

# Request fields whose argparse dest differs (see netservice.networks.manage.args).
_FIELDS = {"vlan_id": "vlan"}


def network_create(args: Any, plugin: Any, prog: str) -> None:
    declaration: type[Network] = plugin.networks.topology.declaration
    values = {
        _FIELDS.get(dest, dest): getattr(args, dest, None)
        for _, dest, _ in create_options(declaration)
    }
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
    _, warnings = plugin.networks.create(network_request(values, declaration))
    for warning in warnings:
        print(f"{prog}: warning: {warning}", file=sys.stderr)


def network_list(_args: Any, plugin: Any, _prog: str) -> None:
    print(NETWORK_FMT % ("id", "IPv4", "IPv6", "start address", "DNS1", "DNS2", "VlanID",
                         "project", "uuid"))  # fmt: skip
    for net in plugin.networks.list():
        print(NETWORK_FMT % (net.id, net.cidr, net.cidr_v6, net.dhcp_start, net.dns1, net.dns2,
                             net.vlan, net.project_id, net.uuid))  # fmt: skip


def network_delete(args: Any, plugin: Any, prog: str) -> None:
    refs = [r for r in (args.fixed_range, args.uuid, args.ref) if r]
    if len(refs) != 1:
        raise exceptions.InvalidInput(
            field="fixed_range", reason="give exactly one of --fixed_range and --uuid"
        )
    _, orphans = plugin.networks.remove(refs[0], force=args.force)
    _report_orphans(orphans, prog)


def network_modify(args: Any, plugin: Any, prog: str) -> None:
    _, orphans = plugin.networks.change(
        args.fixed_range,
        project=args.project,
        disassociate_project=args.disassociate_project,
        host=args.host_name,
        disassociate_host=args.disassociate_host,
        bridge_interface=args.bridge_interface,
        force=args.force,
    )
    _report_orphans(orphans, prog)


def _report_orphans(orphans: Any, prog: str) -> None:
    """What ``--force`` left behind, on stderr, as a warning."""
    if orphans:
        print(f"{prog}: warning: orphaned {orphans.describe()}", file=sys.stderr)


def fixed_list(args: Any, plugin: Any, _prog: str) -> None:
    entries = plugin.networks.fixed_list(args.host_name)
    if not entries:
        print("No fixed IP found.")
        return
    print(FIXED_FMT % ("network", "IP address", "MAC address", "hostname", "host"))
    for entry in entries:
        print(FIXED_FMT % (entry.network.cidr, entry.ip.address, entry.mac or "None",
                           entry.ip.instance_id or "None", entry.ip.host or "None"))  # fmt: skip


def _reserve(args: Any, plugin: Any, reserved: bool) -> int | None:
    try:
        plugin.networks.set_reserved(args.address, reserved)
    except (FixedIpNotFound, exceptions.InvalidInput) as err:
        # nova-manage exited 2 for an address it could not find.
        print(f"error: {err}", file=sys.stderr)
        return 2
    return None


def fixed_reserve(args: Any, plugin: Any, _prog: str) -> int | None:
    return _reserve(args, plugin, True)


def fixed_unreserve(args: Any, plugin: Any, _prog: str) -> int | None:
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
