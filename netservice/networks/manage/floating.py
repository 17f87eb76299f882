"""``floating create|list|delete``: nova-manage's floating commands.

    floating create --ip_range R [--pool P] [--interface I]
    floating list [--host H]
    floating delete --ip_range R [--force]

For plugins with floating IPs: the handlers use the plugin's ``floating``
attribute (a ``netservice.floating.service.FloatingIps``).
"""

from __future__ import annotations

from typing import Any

from netservice.networks.domain import FloatingIp
from netservice.networks.manage.commands import Handler

LIST_FMT = "%s\t%s\t%s\t%s\t%s"


def add_floating_parsers(subparsers: Any) -> None:
    floating = subparsers.add_parser("floating", help="floating IPs")
    floating.set_defaults(name="floating")
    actions = floating.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create floating IPs (one address or a CIDR)")
    create.add_argument("--ip_range", required=True, help="an address, or a CIDR's hosts")
    create.add_argument("--pool", default=None, help="pool (default: default_floating_pool)")
    create.add_argument(
        "--interface",
        default=None,
        help="public interface (default: [linux] public_interface, eth0)",
    )
    listing = actions.add_parser("list", help="list floating IPs")
    listing.add_argument("--host", dest="host_name", default=None)
    delete = actions.add_parser("delete", help="delete floating IPs")
    delete.add_argument("--ip_range", required=True)
    delete.add_argument(
        "--force", action="store_true", help="also delete addresses projects still hold"
    )


def floating_create(args: Any, plugin: Any, _prog: str) -> None:
    # No --pool: FloatingIps applies the plugin's default_floating_pool.
    plugin.floating.create_range(args.ip_range, args.pool, args.interface)


def floating_list(args: Any, plugin: Any, _prog: str) -> None:
    """nova-manage's columns: project, address, instance, pool, interface."""
    records: list[FloatingIp] = plugin.floating.list(args.host_name)
    if not records:
        print("No floating IP addresses have been defined.")
        return
    print(LIST_FMT % ("project", "address", "instance", "pool", "interface"))
    for record in records:
        print(LIST_FMT % (record.project_id, record.address, record.instance_id, record.pool,
                          record.interface))  # fmt: skip


def floating_delete(args: Any, plugin: Any, _prog: str) -> None:
    plugin.floating.delete_range(args.ip_range, force=args.force)


FLOATING_HANDLERS: dict[str, Handler] = {
    "floating create": floating_create,
    "floating list": floating_list,
    "floating delete": floating_delete,
}
