"""``netservice-vlan-manage``: nova-manage's network, fixed, floating and vpn commands.

    netservice-vlan-manage [--config-file F] network create [--label L] ...
        (also: fixed_range num_networks network_size [vlan_start vpn_start fixed_range_v6])
    netservice-vlan-manage network list|delete|modify ...
    netservice-vlan-manage fixed list [--host H]
    netservice-vlan-manage fixed reserve|unreserve --address A
    netservice-vlan-manage floating create --ip_range R [--pool P] [--interface I]
    netservice-vlan-manage floating list [--host H]
    netservice-vlan-manage floating delete --ip_range R [--force]
    netservice-vlan-manage vpn change --project P --ip IP --port PORT
    netservice-vlan-manage vpn list

It builds the plugin from the configuration (``[vlan]``, ``[database]``) and
calls the same service layer as the REST API (``netservice.networks.manage``).
``network create`` defaults vlan_start, vpn_start, num_networks and
network_size from ``[vlan]``.  Errors print one line to stderr and exit 1;
usage errors, and an unknown address for ``fixed``, exit 2.
"""

from __future__ import annotations

from typing import Any

from netservice.networks.manage.commands import Handler
from netservice.networks.manage.floating import FLOATING_HANDLERS, add_floating_parsers
from netservice.networks.manage.tool import Tool

from netservice_vlan.plugin import BRANCH, VlanPlugin

VPN_FMT = "%-20s\t%-36s\t%-15s\t%-6s\t%s"


def add_parsers(subparsers: Any) -> None:
    add_floating_parsers(subparsers)
    vpn = subparsers.add_parser("vpn", help="the projects' VPNs (cloudpipe)")
    vpn.set_defaults(name="vpn")
    actions = vpn.add_subparsers(dest="action", required=True)
    change = actions.add_parser("change", help="change a project's VPN public address and port")
    change.add_argument("--project", dest="project", required=True, help="project id")
    change.add_argument("--ip", required=True, help="public IPv4 address of the VPN")
    change.add_argument("--port", required=True, help="public UDP port of the VPN")
    actions.add_parser("list", help="list the projects' VPNs")


def vpn_change(args: Any, plugin: Any, _prog: str) -> None:
    plugin.vpns.change(args.project, args.ip, args.port)


def vpn_list(_args: Any, plugin: Any, _prog: str) -> None:
    vpns = plugin.vpns.list()
    if not vpns:
        print("No project has a vlan network.")
        return
    print(VPN_FMT % ("project", "network", "public address", "port", "VPN address"))
    for vpn in vpns:
        print(VPN_FMT % (vpn.project_id, vpn.network_id, vpn.public_address, vpn.public_port,
                         vpn.private_address))  # fmt: skip


HANDLERS: dict[str, Handler] = {
    **FLOATING_HANDLERS,
    "vpn change": vpn_change,
    "vpn list": vpn_list,
}

TOOL = Tool.for_plugin(VlanPlugin, BRANCH, add_parsers=add_parsers, handlers=HANDLERS)
main = TOOL.main
