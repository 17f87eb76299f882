"""The ``[flat_dhcp]`` options, registered by the core before the plugin starts.

The data plane's own settings (``dhcp_domain``, ``force_dhcp_release``,
``dhcp_lease_time``, ``public_interface``, ``send_arp_for_ha`` ...) are
``[linux]`` options shared by every plugin; they are not repeated here.
"""

from __future__ import annotations

from netservice.networks.opts import address_opts
from oslo_config import cfg

GROUP = "flat_dhcp"

FLAT_DHCP_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "flat_network_bridge",
        deprecated_name="flat_network_bridge",
        deprecated_group="DEFAULT",
        default="br100",
        help="Bridge new FlatDHCP networks use when 'network create' names none. The "
        "network host (and, with multi_host, each compute host) creates it.",
    ),
    cfg.StrOpt(
        "flat_interface",
        deprecated_name="flat_interface",
        deprecated_group="DEFAULT",
        help="Interface enslaved to the bridge of new FlatDHCP networks when 'network "
        "create' names no bridge_interface.",
    ),
    cfg.StrOpt(
        "flat_network_dns",
        deprecated_name="flat_network_dns",
        deprecated_group="DEFAULT",
        default="8.8.4.4",
        help="DNS server new FlatDHCP networks use when 'network create' gives no --dns1.",
    ),
    cfg.BoolOpt(
        "multi_host",
        deprecated_name="multi_host",
        deprecated_group="DEFAULT",
        default=False,
        help="Default of 'network create --multi_host': every compute host serves DHCP "
        "and routes for its own instances.",
    ),
    cfg.BoolOpt(
        "share_dhcp_address",
        deprecated_name="share_dhcp_address",
        deprecated_group="DEFAULT",
        default=False,
        help="multi_host: every host answers DHCP from the network's one DHCP address "
        "instead of claiming a pool address of its own.",
    ),
    *address_opts("FlatDHCP"),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.flat_dhcp``)."""
    return [(GROUP, FLAT_DHCP_OPTS)]
