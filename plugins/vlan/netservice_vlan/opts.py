"""The ``[vlan]`` options, registered by the core before the plugin starts.

nova's VlanManager flags (``vlan_start``, ``vpn_start``, ``vlan_interface``,
``vpn_ip``, ``cnt_vpn_clients`` ...) plus the choice of segmentation: 802.1q
VLANs, as nova had, or VXLAN, whose VNI is the network's vlan id.  The data
plane's own settings (``dhcp_domain``, ``public_interface`` ...) are
``[linux]`` options shared by every plugin.
"""

from __future__ import annotations

from netservice.networks.opts import address_opts, multi_host_opts
from oslo_config import cfg

GROUP = "vlan"

NETWORK_OPTS: list[cfg.Opt] = [
    cfg.IntOpt(
        "vlan_start",
        deprecated_name="vlan_start",
        deprecated_group="DEFAULT",
        default=200,
        min=1,
        help="First VLAN id (VNI in vxlan mode) of new networks when 'network create' "
        "gives no --vlan_start. Not nova's 100: the first network's bridge br200 is "
        "then never FlatDHCP's default br100.",
    ),
    cfg.IntOpt(
        "vpn_start",
        deprecated_name="vpn_start",
        deprecated_group="DEFAULT",
        default=1000,
        min=1,
        max=65535,
        help="First public VPN port of new networks when 'network create' gives no --vpn.",
    ),
    cfg.IntOpt(
        "num_networks",
        deprecated_name="num_networks",
        deprecated_group="DEFAULT",
        default=1,
        min=1,
        help="Networks one 'network create' makes when it gives no --num_networks.",
    ),
    cfg.IntOpt(
        "network_size",
        deprecated_name="network_size",
        deprecated_group="DEFAULT",
        min=4,
        help="Addresses per network when 'network create' gives no --network_size; "
        "unset: the range divided by the count, at most 256.",
    ),
    cfg.StrOpt(
        "vlan_interface",
        deprecated_name="vlan_interface",
        deprecated_group="DEFAULT",
        help="Interface the 802.1q devices sit on (bridge_interface of new networks when "
        "'network create' names none). Required in vlan mode.",
    ),
    cfg.StrOpt(
        "vlan_network_dns",
        default="8.8.4.4",
        help="DNS server new networks use when 'network create' gives no --dns1.",
    ),
    cfg.IntOpt(
        "network_mtu",
        min=68,
        max=65535,
        help="MTU of the VLAN or VXLAN device and bridge of each network; unset: the "
        "kernel's default (1500 for VLAN, the underlay's less 50 for VXLAN).",
    ),
    *multi_host_opts(),
]

VPN_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "vpn_ip",
        deprecated_name="vpn_ip",
        deprecated_group="DEFAULT",
        help="Public address of the projects' VPNs (nova's vpn_ip), used where a network "
        "has none of its own ('vpn change' sets one). Set it alike on API and network "
        "hosts. Unset: networks without an address get no VPN forward.",
    ),
    cfg.IntOpt(
        "cnt_vpn_clients",
        deprecated_name="cnt_vpn_clients",
        deprecated_group="DEFAULT",
        default=0,
        min=0,
        help="Addresses reserved at the top of each new network for VPN clients.",
    ),
]

ADDRESS_OPTS: list[cfg.Opt] = address_opts("VLAN")

SEGMENTATION_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "segmentation",
        default="vlan",
        choices=[
            ("vlan", "an 802.1q device vlan<N> on vlan_interface, bridged as br<N>"),
            ("vxlan", "a VXLAN device vxlan<N> (VNI N) over vxlan_underlay, bridged as br<N>"),
        ],
        help="How the networks are kept apart between hosts. N is the network's vlan id; "
        "in vxlan mode it may go up to 16777215.",
    ),
    cfg.StrOpt(
        "vxlan_local",
        help="vxlan mode: this host's address on the underlay, the VXLAN tunnels' source. "
        "Required in vxlan mode.",
    ),
    cfg.StrOpt(
        "vxlan_underlay",
        help="vxlan mode: the device the tunnels leave by (bridge_interface of new "
        "networks when 'network create' names none).",
    ),
    cfg.StrOpt(
        "vxlan_group",
        help="vxlan mode: the multicast group that floods unknown destinations to every "
        "host. Give this or vxlan_remotes.",
    ),
    cfg.ListOpt(
        "vxlan_remotes",
        default=[],
        help="vxlan mode: the unicast peer to flood unknown destinations to, instead of "
        "vxlan_group. One peer for now (several need FDB entries netservice does not "
        "manage yet); use vxlan_group beyond two hosts.",
    ),
    cfg.PortOpt("vxlan_port", default=4789, help="vxlan mode: the UDP port of the tunnels."),
]

VLAN_OPTS: list[cfg.Opt] = NETWORK_OPTS + VPN_OPTS + ADDRESS_OPTS + SEGMENTATION_OPTS


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.vlan``)."""
    return [(GROUP, VLAN_OPTS)]
