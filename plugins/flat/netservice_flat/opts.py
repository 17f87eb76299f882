"""The ``[flat]`` options, registered by the core before the plugin starts."""

from __future__ import annotations

from netservice.networks.opts import nova_quota
from oslo_config import cfg

GROUP = "flat"

FLAT_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "flat_network_bridge",
        deprecated_name="flat_network_bridge",
        deprecated_group="DEFAULT",
        default="brflat",
        help="Bridge new flat networks use when 'network create' names none. In flat "
        "mode the operator creates it on every compute host. Not FlatDHCP's br100 nor "
        "a VLAN network's br<N>, so the plugins' defaults never share a bridge.",
    ),
    cfg.StrOpt(
        "flat_interface",
        deprecated_name="flat_interface",
        deprecated_group="DEFAULT",
        help="Interface new flat networks record as bridge_interface when 'network "
        "create' names none.",
    ),
    cfg.BoolOpt(
        "flat_injected",
        deprecated_name="flat_injected",
        deprecated_group="DEFAULT",
        default=False,
        help="Inject the guest's /etc/network/interfaces, since flat networks serve no DHCP.",
    ),
    cfg.StrOpt(
        "flat_network_dns",
        deprecated_name="flat_network_dns",
        deprecated_group="DEFAULT",
        default="8.8.4.4",
        help="DNS server new flat networks use when 'network create' gives no --dns1.",
    ),
    cfg.IntOpt(
        "quota_fixed_ips",
        deprecated_opts=nova_quota("fixed_ips"),
        default=-1,
        min=-1,
        help="Fixed IPs one project may hold across flat networks; -1 is unlimited.",
    ),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.flat``)."""
    return [(GROUP, FLAT_OPTS)]
