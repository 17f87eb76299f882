"""The ``[flat_dhcp]`` options, registered by the core before the plugin starts.

The data plane's own settings (``dhcp_domain``, ``force_dhcp_release``,
``dhcp_lease_time``, ``public_interface``, ``send_arp_for_ha`` ...) are
``[linux]`` options shared by every plugin; they are not repeated here.
"""

from __future__ import annotations

from netservice.networks.opts import address_opts, flat_bridge_opts, multi_host_opts
from oslo_config import cfg

GROUP = "flat_dhcp"

FLAT_DHCP_OPTS: list[cfg.Opt] = [
    *flat_bridge_opts(
        "FlatDHCP",
        default_bridge="br100",
        bridge_help="Bridge new FlatDHCP networks use when 'network create' names none. The "
        "network host (and, with multi_host, each compute host) creates it.",
        interface_help="Interface enslaved to the bridge of new FlatDHCP networks when "
        "'network create' names no bridge_interface.",
    ),
    *multi_host_opts(),
    *address_opts("FlatDHCP"),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.flat_dhcp``)."""
    return [(GROUP, FLAT_DHCP_OPTS)]
