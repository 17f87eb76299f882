"""The ``[flat]`` options, registered by the core before the plugin starts."""

from __future__ import annotations

from netservice.networks.opts import flat_bridge_opts, nova_quota
from oslo_config import cfg

GROUP = "flat"

FLAT_OPTS: list[cfg.Opt] = [
    *flat_bridge_opts(
        "flat",
        default_bridge="brflat",
        bridge_help="Bridge new flat networks use when 'network create' names none. In flat "
        "mode the operator creates it on every compute host. Not FlatDHCP's br100 nor "
        "a VLAN network's br<N>, so the plugins' defaults never share a bridge.",
        interface_help="Interface new flat networks record as bridge_interface when 'network "
        "create' names none.",
    ),
    cfg.BoolOpt(
        "flat_injected",
        deprecated_name="flat_injected",
        deprecated_group="DEFAULT",
        default=False,
        help="Inject the guest's /etc/network/interfaces, since flat networks serve no DHCP.",
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
