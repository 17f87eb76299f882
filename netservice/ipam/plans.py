"""The vocabulary of ``network create`` planning, and nothing else.

``NetworkRequest`` is what the operator asked for, ``Topology`` what differs
between Flat, FlatDHCP and VLAN, ``Used`` what existing networks already
hold, and ``Plan`` (a list of ``PlannedNetwork``) the rows to write.  These
are plain frozen dataclasses; ``netservice.ipam.planner`` turns the first
three into the last, and re-exports them all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from netservice.ipam import ranges


@dataclasses.dataclass(frozen=True)
class NetworkRequest:
    """The options of ``network create``, as given (strings from a CLI are fine).

    None means "not given", so the topology's default applies.
    """

    label: str | None = None
    cidr: str | None = None
    num_networks: int | str | None = None
    network_size: int | str | None = None
    vlan_start: int | str | None = None
    vpn_start: int | str | None = None
    cidr_v6: str | None = None
    vlan: int | str | None = None
    gateway: str | None = None
    gateway_v6: str | None = None
    bridge: str | None = None
    bridge_interface: str | None = None
    multi_host: bool | str | None = None
    dns1: str | None = None
    dns2: str | None = None
    uuid: str | None = None
    fixed_cidr: str | None = None
    project_id: str | None = None
    allowed_start: str | None = None
    allowed_end: str | None = None
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """Unplanned fields (``netservice.networks.unplanned``): the planner never
    reads them; they are written, as given, onto each planned network."""


@dataclasses.dataclass(frozen=True)
class Topology:
    """What differs between Flat, FlatDHCP and VLAN when planning."""

    vlan: bool = False
    default_bridge: str | None = "br100"
    default_bridge_interface: str | None = None
    default_dns1: str = "8.8.4.4"
    cnt_vpn_clients: int = 0
    max_vlan: int = 4094
    """The highest VLAN id: 802.1q's 4094, or a VXLAN VNI's 16,777,215 when the
    VLAN topology segments its networks with VXLAN instead."""


@dataclasses.dataclass(frozen=True)
class Used:
    """What existing networks already hold."""

    cidrs: Collection[str] = ()
    cidrs_v6: Collection[str] = ()
    vlans: Collection[int] = ()
    vpn_ports: Collection[int] = ()


@dataclasses.dataclass(frozen=True)
class PlannedNetwork:
    """One network row to write; field names match ``ipam.models.NetworkMixin``."""

    label: str
    uuid: str
    cidr: str | None
    netmask: str | None
    gateway: str | None
    broadcast: str | None
    dhcp_server: str | None
    dhcp_start: str | None
    cidr_v6: str | None
    netmask_v6: str | None
    gateway_v6: str | None
    fixed_cidr: str | None
    allowed_start: str | None
    allowed_end: str | None
    dns1: str | None
    dns2: str | None
    bridge: str | None
    bridge_interface: str | None
    multi_host: bool
    project_id: str | None
    vlan: int | None = None
    vpn_private_address: str | None = None
    vpn_public_port: int | None = None

    def reserved(self, cnt_vpn_clients: int = 0) -> list[int]:
        """The addresses to write as reserved rows when the network is created."""
        if self.cidr is None:
            return []
        return ranges.reserved_addresses(
            self.cidr,
            gateway=self.gateway,
            dhcp_server=self.dhcp_server,
            vpn_private_address=self.vpn_private_address,
            cnt_vpn_clients=cnt_vpn_clients,
        )

    def allocation_range(self) -> ranges.AllocationRange | None:
        if self.cidr is None:
            return None
        return ranges.allocation_range(
            self.cidr,
            fixed_cidr=self.fixed_cidr,
            allowed_start=self.allowed_start,
            allowed_end=self.allowed_end,
        )


@dataclasses.dataclass(frozen=True)
class Plan:
    networks: list[PlannedNetwork]
    warnings: list[str]


def used_from(networks: Sequence[Sequence[str | int | None]]) -> Used:
    """``Used`` from ``(cidr, cidr_v6, vlan[, vpn_public_port])`` tuples of existing networks."""
    rows = [tuple(row) + (None,) * (4 - len(row)) for row in networks]
    return Used(
        cidrs=[str(row[0]) for row in rows if row[0]],
        cidrs_v6=[str(row[1]) for row in rows if row[1]],
        vlans=[int(row[2]) for row in rows if row[2] is not None],
        vpn_ports=[int(row[3]) for row in rows if row[3] is not None],
    )
