"""The argument parsers of ``network ...`` and ``fixed ...``: nova-manage's names.

Defaults are left None here so the service layer applies the topology's
(num_networks 1, dns1 ``flat_network_dns``, bridge ``flat_network_bridge`` ...).
"""

from __future__ import annotations

from typing import Any

# The Diablo positional form: fixed_range num_networks network_size
# [vlan_start vpn_start fixed_range_v6].
POSITIONAL = ("cidr", "num_networks", "network_size", "vlan_start", "vpn_start", "cidr_v6")

CREATE_OPTIONS: list[tuple[str, str, str]] = [
    ("--label", "label", "Label for the network(s) (required, at most 255 characters)"),
    ("--fixed_range_v4", "cidr", "IPv4 range to split, e.g. 10.0.0.0/8"),
    ("--num_networks", "num_networks", "Number of networks (default 1)"),
    ("--network_size", "network_size", "Addresses per network (default: range / count, max 256)"),
    # dest "vlan" would clash with the [vlan] option group on oslo.config's namespace.
    ("--vlan", "vlan_id", "VLAN id (VLAN topology only)"),
    ("--vlan_start", "vlan_start", "First VLAN id (VLAN topology only)"),
    ("--vpn", "vpn_start", "First VPN port (VLAN topology only)"),
    ("--fixed_range_v6", "cidr_v6", "IPv6 range, e.g. fd00::/48"),
    ("--gateway", "gateway", "IPv4 gateway (default: the subnet's first address)"),
    ("--gateway_v6", "gateway_v6", "IPv6 gateway"),
    ("--bridge", "bridge", "Bridge instances attach to (default: flat_network_bridge)"),
    (
        "--bridge_interface",
        "bridge_interface",
        "Interface of the bridge (default: flat_interface)",
    ),
    ("--multi_host", "multi_host", "T or F (default F)"),
    ("--dns1", "dns1", "First DNS server (default: flat_network_dns)"),
    ("--dns2", "dns2", "Second DNS server"),
    ("--uuid", "uuid", "UUID of the network (one network only)"),
    ("--fixed_cidr", "fixed_cidr", "Sub-range of the network that addresses come from"),
    ("--project_id", "project_id", "Project the network belongs to"),
    ("--allowed_start", "allowed_start", "First allocatable address"),
    ("--allowed_end", "allowed_end", "Last allocatable address"),
]


FORCE_HELP = (
    "do it even though VNICs or allocated fixed IPs are on the network; prints what it orphaned"
)


def add_network_parsers(subparsers: Any, plugin: str) -> None:
    """``network create|list|delete|modify`` and ``fixed list|reserve|unreserve``."""
    network = subparsers.add_parser("network", help=f"{plugin} networks")
    network.set_defaults(name="network")
    actions = network.add_subparsers(dest="action", required=True)

    create = actions.add_parser("create", help="create networks (nova-manage network create)")
    for flag, dest, text in CREATE_OPTIONS:
        create.add_argument(flag, dest=dest, default=None, help=text)
    create.add_argument(
        "positional",
        nargs="*",
        metavar="fixed_range num_networks network_size [vlan_start vpn_start fixed_range_v6]",
        help="the older positional form",
    )
    actions.add_parser("list", help="list networks")
    delete = actions.add_parser("delete", help="delete a network by fixed range or uuid")
    delete.add_argument("ref", nargs="?", default=None, metavar="fixed_range")
    delete.add_argument("--fixed_range", default=None)
    delete.add_argument("--uuid", default=None)
    delete.add_argument("--force", action="store_true", help=FORCE_HELP)
    modify = actions.add_parser(
        "modify",
        help="associate or disassociate project and host, or change the bridge interface",
    )
    modify.add_argument("fixed_range")
    modify.add_argument(
        "--bridge_interface",
        default=None,
        help="Interface the network's bridge enslaves (repairs a network whose interface "
        "does not exist on the network host)",
    )
    group = modify.add_mutually_exclusive_group()
    group.add_argument("--project", default=None)
    group.add_argument("--disassociate-project", action="store_true")
    hosts = modify.add_mutually_exclusive_group()
    hosts.add_argument("--host", dest="host_name", default=None)
    hosts.add_argument("--disassociate-host", action="store_true")
    modify.add_argument("--force", action="store_true", help=FORCE_HELP)

    fixed = subparsers.add_parser("fixed", help="fixed IPs")
    fixed.set_defaults(name="fixed")
    fixed_actions = fixed.add_subparsers(dest="action", required=True)
    listing = fixed_actions.add_parser("list", help="list used and reserved fixed IPs")
    listing.add_argument("--host", dest="host_name", default=None)
    for action in ("reserve", "unreserve"):
        parser = fixed_actions.add_parser(action, help=f"{action} one fixed IP")
        parser.add_argument("--address", required=True)
