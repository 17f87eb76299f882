"""Options every DHCP topology declares in its own group: addresses, quotas, floating IPs."""

from __future__ import annotations

from oslo_config import cfg


def nova_quota(name: str) -> list[cfg.DeprecatedOpt]:
    """nova's names of a quota: ``[DEFAULT] quota_<name>``, later ``[quota] <name>``."""
    return [
        cfg.DeprecatedOpt(f"quota_{name}", group="DEFAULT"),
        cfg.DeprecatedOpt(name, group="quota"),
    ]


def address_opts(topology: str) -> list[cfg.Opt]:
    """Fresh ``Opt`` objects for one plugin's group; ``topology`` names it in the help."""
    return [
        cfg.IntOpt(
            "fixed_ip_disassociate_timeout",
            deprecated_name="fixed_ip_disassociate_timeout",
            deprecated_group="DEFAULT",
            default=600,
            min=0,
            help="Seconds a deallocated fixed IP whose DHCP lease was not released is held "
            "before it is freed.",
        ),
        cfg.IntOpt(
            "quota_fixed_ips",
            deprecated_opts=nova_quota("fixed_ips"),
            default=-1,
            min=-1,
            help=f"Fixed IPs one project may hold across {topology} networks; -1 is unlimited.",
        ),
        cfg.IntOpt(
            "quota_floating_ips",
            deprecated_opts=nova_quota("floating_ips"),
            default=10,
            min=-1,
            help="Floating IPs one project may allocate (auto-assigned ones excepted); "
            "-1 is unlimited.",
        ),
        cfg.BoolOpt(
            "auto_assign_floating_ip",
            deprecated_name="auto_assign_floating_ip",
            deprecated_group="DEFAULT",
            default=False,
            help="Give each new instance's first fixed IP a floating IP from "
            "default_floating_pool, released when the instance goes.",
        ),
        cfg.StrOpt(
            "default_floating_pool",
            deprecated_name="default_floating_pool",
            deprecated_group="DEFAULT",
            default="nova",
            help="Pool floating IPs come from when a request or 'floating create' names none.",
        ),
    ]


def flat_bridge_opts(
    label: str, *, default_bridge: str, bridge_help: str, interface_help: str
) -> list[cfg.Opt]:
    """nova's flat options of a plugin whose networks share one bridge (``label``: its name)."""
    return [
        cfg.StrOpt(
            "flat_network_bridge",
            deprecated_name="flat_network_bridge",
            deprecated_group="DEFAULT",
            default=default_bridge,
            help=bridge_help,
        ),
        cfg.StrOpt(
            "flat_interface",
            deprecated_name="flat_interface",
            deprecated_group="DEFAULT",
            help=interface_help,
        ),
        cfg.StrOpt(
            "flat_network_dns",
            deprecated_name="flat_network_dns",
            deprecated_group="DEFAULT",
            default="8.8.4.4",
            help=f"DNS server new {label} networks use when 'network create' gives no --dns1.",
        ),
    ]


def multi_host_opts() -> list[cfg.Opt]:
    """The DHCP topologies' multi_host options."""
    return [
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
    ]
