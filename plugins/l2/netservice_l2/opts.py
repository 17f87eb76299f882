"""The ``[l2]`` options, registered by the core before the plugin starts."""

from __future__ import annotations

from oslo_config import cfg

GROUP = "l2"

L2_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "vxlan_local_ip",
        help="This host's underlay IPv4 address for VXLAN networks (the tunnel's source). "
        "Needed on every host that serves or plugs into a VXLAN l2 network.",
    ),
    cfg.StrOpt(
        "vxlan_group",
        default="239.1.1.2",
        help="Multicast group VXLAN l2 networks flood through on the underlay.",
    ),
]


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (namespace ``netservice.l2``)."""
    return [(GROUP, L2_OPTS)]
