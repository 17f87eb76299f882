"""The argument parsers of ``network ...`` and ``fixed ...``: nova-manage's names.

Defaults are left None here so the service layer applies the topology's
(num_networks 1, dns1 ``flat_network_dns``, bridge ``flat_network_bridge`` ...).
"""

from __future__ import annotations

from typing import Any

from netservice.networks.domain import Network, network_fields

# The Diablo positional form: fixed_range num_networks network_size
# [vlan_start vpn_start fixed_range_v6].
POSITIONAL = ("cidr", "num_networks", "network_size", "vlan_start", "vpn_start", "cidr_v6")

# What ``network create`` takes besides the declared fields: how to split the
# range and number the VLANs.
PLAN_ONLY: list[tuple[str, str, str]] = [
    ("--num_networks", "num_networks", "Number of networks (default 1)"),
    ("--network_size", "network_size", "Addresses per network (default: range / count, max 256)"),
    # dest "vlan" would clash with the [vlan] option group on oslo.config's namespace.
    ("--vlan", "vlan_id", "VLAN id (VLAN topology only)"),
    ("--vlan_start", "vlan_start", "First VLAN id (VLAN topology only)"),
    ("--vpn", "vpn_start", "First VPN port (VLAN topology only)"),
]


def create_options(declaration: type[Network] = Network) -> list[tuple[str, str, str]]:
    """``(flag, dest, help)`` of ``network create``: the declared fields, then ``PLAN_ONLY``.

    A field is an option when its ``NetworkField.request`` is set; the flag
    is its ``flag`` or ``--<name>``, the dest its name.
    """
    declared = [
        (spec.flag or f"--{name}", name, spec.help)
        for name, spec in network_fields(declaration)
        if spec.request is not None
    ]
    return declared + PLAN_ONLY


CREATE_OPTIONS = create_options()


FORCE_HELP = (
    "do it even though VNICs or allocated fixed IPs are on the network; prints what it orphaned"
)


def add_network_parsers(
    subparsers: Any, plugin: str, declaration: type[Network] = Network
) -> None:
    """``network create|list|delete|modify`` and ``fixed list|reserve|unreserve``.

    ``network create`` takes ``create_options(declaration)``.
    """
    network = subparsers.add_parser("network", help=f"{plugin} networks")
    network.set_defaults(name="network")
    actions = network.add_subparsers(dest="action", required=True)

    create = actions.add_parser("create", help="create networks (nova-manage network create)")
    for flag, dest, text in create_options(declaration):
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
