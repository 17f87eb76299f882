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
