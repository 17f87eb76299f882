"""The ``[flat_dhcp]`` options, registered by the core before the plugin starts.

The data plane's own settings (``dhcp_domain``, ``force_dhcp_release``,
``dhcp_lease_time``, ``public_interface``, ``send_arp_for_ha`` ...) are
``[linux]`` options shared by every plugin; they are not repeated here.
"""

from __future__ import annotations

from oslo_config import cfg

GROUP = "flat_dhcp"

FLAT_DHCP_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "flat_network_bridge",
        default="br100",
        help="Bridge new FlatDHCP networks use when 'network create' names none. The "
        "network host (and, with multi_host, each compute host) creates it.",
    ),
    cfg.StrOpt(
        "flat_interface",
        help="Interface enslaved to the bridge of new FlatDHCP networks when 'network "
        "create' names no bridge_interface.",
    ),
    cfg.StrOpt(
        "flat_network_dns",
        default="8.8.4.4",
        help="DNS server new FlatDHCP networks use when 'network create' gives no --dns1.",
    ),
    cfg.BoolOpt(
        "multi_host",
        default=False,
        help="Default of 'network create --multi_host': every compute host serves DHCP "
        "and routes for its own instances.",
    ),
    cfg.BoolOpt(
        "share_dhcp_address",
        default=False,
        help="multi_host: every host answers DHCP from the network's one DHCP address "
        "instead of claiming a pool address of its own.",
    ),
    cfg.IntOpt(
        "fixed_ip_disassociate_timeout",
        default=600,
        min=0,
        help="Seconds a deallocated fixed IP whose DHCP lease was not released is held "
        "before it is freed.",
    ),
    cfg.IntOpt(
        "quota_fixed_ips",
        default=-1,
        min=-1,
        help="Fixed IPs one project may hold across FlatDHCP networks; -1 is unlimited.",
    ),
    cfg.IntOpt(
        "quota_floating_ips",
        default=10,
        min=-1,
        help="Floating IPs one project may allocate (auto-assigned ones excepted); "
        "-1 is unlimited.",
    ),
    cfg.BoolOpt(
        "auto_assign_floating_ip",
        default=False,
        help="Give each new instance's first fixed IP a floating IP from "
        "default_floating_pool, released when the instance goes.",
    ),
    cfg.StrOpt(
        "default_floating_pool",
        default="nova",
        help="Pool floating IPs come from when a request or 'floating create' names none.",
    ),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.flat_dhcp``)."""
    return [(GROUP, FLAT_DHCP_OPTS)]
