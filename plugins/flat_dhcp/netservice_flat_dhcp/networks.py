"""FlatDHCP's topology: ``netservice.networks.dhcp`` on its tables, from ``[flat_dhcp]``."""

from __future__ import annotations

from typing import Any

from netservice.networks.topology import Topology, flat_planner

NAME = "flat_dhcp"


def flat_dhcp_topology(config: Any) -> Topology:
    """A leased address outlives its instance until released or timed out."""
    return Topology(
        name=NAME,
        free_on_unbind=False,
        planner=flat_planner(config),
        default_multi_host=bool(config.multi_host),
        quota_fixed_ips=int(config.quota_fixed_ips),
        dhcp=True,
        fixed_ip_disassociate_timeout=int(config.fixed_ip_disassociate_timeout),
        share_dhcp_address=bool(config.share_dhcp_address),
    )
