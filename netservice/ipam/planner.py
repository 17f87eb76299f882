"""``network create`` planning: nova-manage's semantics as pure functions.

``plan_networks`` turns the options of ``network create`` (the positional
form included) into the rows to write, checking every rule and naming the
field that breaks one.  It reads nothing and writes nothing: the caller
passes in what is already used (cidrs, VLANs) and writes the plan in one
transaction, under a lock that keeps ``used`` current.

One nova bug is not copied: with ``network_size`` missing, nova took the
whole range as one network's size and so refused "/24 with 2 networks".
Here the size is the range divided by ``num_networks``, capped at 256.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import uuid as uuidlib
from collections.abc import Collection, Sequence

import netaddr

from netservice.core import exceptions, validation
from netservice.ipam import ranges
from netservice.ipam.exceptions import CidrConflict, DuplicateVlan, NetworkRangeTooSmall
from netservice.ipam.values import (
    bridge_name,
    flag,
    ip_address,
    ipv4_network,
    ipv6_network,
    positive_int,
)

LOG = logging.getLogger(__name__)

MAX_LABEL = 255
DEFAULT_SIZE_CAP = 256
MAX_VLAN = 4094
MIN_V4_SIZE = 4  # network, gateway, one address and broadcast
LONGEST_V6_PREFIX = 64  # SLAAC/EUI-64 needs a /64


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


@dataclasses.dataclass(frozen=True)
class Topology:
    """What differs between Flat, FlatDHCP and VLAN when planning."""

    vlan: bool = False
    default_bridge: str | None = "br100"
    default_bridge_interface: str | None = None
    default_dns1: str = "8.8.4.4"
    cnt_vpn_clients: int = 0


@dataclasses.dataclass(frozen=True)
class Used:
    """What existing networks already hold."""

    cidrs: Collection[str] = ()
    cidrs_v6: Collection[str] = ()
    vlans: Collection[int] = ()


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


def plan_networks(request: NetworkRequest, topology: Topology, used: Used) -> Plan:
    """Check ``request`` and split its range into networks.

    Raises InvalidInput naming the field (400), NetworkRangeTooSmall (400),
    CidrConflict (409) or DuplicateVlan (409).  Pure and deterministic,
    except for the uuids it draws for networks without ``--uuid``.
    """
    warnings: list[str] = []
    label = _label(request.label)
    cidr = ipv4_network(request.cidr, "fixed_range_v4") if request.cidr else None
    cidr_v6 = ipv6_network(request.cidr_v6, "fixed_range_v6") if request.cidr_v6 else None
    if cidr is None and cidr_v6 is None:
        raise exceptions.InvalidInput(
            field="fixed_range_v4",
            reason="at least one of fixed_range_v4 and fixed_range_v6 is required",
        )
    num = positive_int(request.num_networks, "num_networks", default=1)
    size = _network_size(request.network_size, cidr, num, warnings)
    bits = math.ceil(math.log2(size))
    subnets: list[netaddr.IPNetwork | None] = [None] * num
    if cidr is not None:
        if size > cidr.size or num * (1 << bits) > cidr.size:
            raise NetworkRangeTooSmall(
                field="num_networks" if size <= cidr.size else "network_size",
                reason=f"{cidr} holds {cidr.size} addresses, {num} network(s) of "
                f"{1 << bits} need {num * (1 << bits)}",
            )
        subnets = list(_carve(cidr, 32 - bits, num, used.cidrs))
    subnets_v6: list[netaddr.IPNetwork | None] = [None] * num
    if cidr_v6 is not None:
        prefix_v6 = min(128 - bits, LONGEST_V6_PREFIX)
        if prefix_v6 < cidr_v6.prefixlen or num > 1 << (prefix_v6 - cidr_v6.prefixlen):
            raise NetworkRangeTooSmall(
                field="fixed_range_v6",
                reason=f"{cidr_v6} cannot hold {num} /{prefix_v6} network(s)",
            )
        subnets_v6 = list(_carve(cidr_v6, prefix_v6, num, used.cidrs_v6))
    vlans = _vlans(request, topology, num, used.vlans)
    vpn_start = positive_int(request.vpn_start, "vpn_start", default=1000)
    uuid = _uuid(request.uuid, num)
    project_id = validation.project_id(request.project_id) if request.project_id else None
    dns1 = ip_address(request.dns1, "dns1") if request.dns1 else topology.default_dns1
    dns2 = ip_address(request.dns2, "dns2") if request.dns2 else None
    multi_host = flag(request.multi_host, "multi_host", default=False)
    networks = []
    for index in range(num):
        subnet, subnet_v6 = subnets[index], subnets_v6[index]
        vlan = vlans[index] if vlans else None
        v4 = _v4_fields(request, subnet, vlan_mode=topology.vlan) if subnet is not None else {}
        networks.append(
            PlannedNetwork(
                label=f"{label}_{index}" if num > 1 else label,
                uuid=uuid or str(uuidlib.uuid4()),
                cidr=v4.get("cidr"),
                netmask=v4.get("netmask"),
                gateway=v4.get("gateway"),
                broadcast=v4.get("broadcast"),
                dhcp_server=v4.get("gateway"),
                dhcp_start=v4.get("dhcp_start"),
                fixed_cidr=v4.get("fixed_cidr"),
                allowed_start=v4.get("allowed_start"),
                allowed_end=v4.get("allowed_end"),
                vpn_private_address=v4.get("vpn_private_address"),
                cidr_v6=str(subnet_v6) if subnet_v6 is not None else None,
                netmask_v6=str(subnet_v6.prefixlen) if subnet_v6 is not None else None,
                gateway_v6=_gateway_v6(request.gateway_v6, subnet_v6),
                dns1=dns1,
                dns2=dns2,
                bridge=_bridge(request.bridge, topology, vlan),
                bridge_interface=_bridge_interface(request.bridge_interface, topology),
                multi_host=multi_host,
                project_id=project_id,
                vlan=vlan,
                vpn_public_port=vpn_start + index if topology.vlan else None,
            )
        )
    return Plan(networks=networks, warnings=warnings)


def _label(value: str | None) -> str:
    if value is None or not str(value).strip():
        raise exceptions.InvalidInput(field="label", reason="is required")
    if len(value) > MAX_LABEL:
        raise exceptions.InvalidInput(
            field="label", reason=f"must be at most {MAX_LABEL} characters, got {len(value)}"
        )
    return value


def _network_size(
    value: int | str | None, cidr: netaddr.IPNetwork | None, num: int, warnings: list[str]
) -> int:
    if value is not None:
        size = positive_int(value, "network_size")
        if cidr is not None and size < MIN_V4_SIZE:
            raise exceptions.InvalidInput(
                field="network_size", reason=f"must be at least {MIN_V4_SIZE}, got {size}"
            )
        return size
    whole = cidr.size // num if cidr is not None else DEFAULT_SIZE_CAP
    if whole > DEFAULT_SIZE_CAP:
        message = (
            f"network_size not given: {cidr} / {num} network(s) is {whole} addresses, "
            f"capped at {DEFAULT_SIZE_CAP}"
        )
        LOG.info("%s", message)  # the caller shows plan.warnings to the operator
        warnings.append(message)
        return DEFAULT_SIZE_CAP
    if cidr is not None and whole < MIN_V4_SIZE:
        raise NetworkRangeTooSmall(
            field="num_networks", reason=f"{cidr} cannot hold {num} networks of {MIN_V4_SIZE}"
        )
    return 1 << int(math.log2(whole)) if whole else 1


def _carve(
    whole: netaddr.IPNetwork, prefix: int, count: int, used: Collection[str]
) -> list[netaddr.IPNetwork]:
    """``count`` consecutive free subnets of ``/prefix`` from the start of ``whole``.

    A subnet that is used, or holds a smaller used cidr, moves on to the next
    free one inside ``whole``; one inside a larger used cidr, or with no room
    left, raises CidrConflict naming the used cidr.
    """
    taken = [netaddr.IPNetwork(c) for c in used]
    taken = [t for t in taken if t.version == whole.version]
    found: list[netaddr.IPNetwork] = []
    candidate = netaddr.IPNetwork(f"{whole.network}/{prefix}")
    planned = candidate  # what nova's message names: the subnet the plan asked for
    last_blocker: netaddr.IPNetwork | None = None
    while len(found) < count:
        if candidate.first > whole.last:
            raise CidrConflict(cidr=str(planned), other=str(last_blocker or whole))
        blocker = next((t for t in taken if _overlaps(t, candidate)), None)
        if blocker is None:
            found.append(candidate)
            taken.append(candidate)
            planned = netaddr.IPNetwork(f"{netaddr.IPAddress(planned.last + 1)}/{prefix}")
        elif blocker.prefixlen < candidate.prefixlen:
            raise CidrConflict(cidr=str(candidate), other=str(blocker))
        else:
            last_blocker = blocker
        candidate = netaddr.IPNetwork(f"{netaddr.IPAddress(candidate.last + 1)}/{prefix}")
        if candidate.first == 0:  # wrapped past the top of the address space
            raise CidrConflict(cidr=str(whole), other=str(last_blocker or whole))
    return found


def _overlaps(a: netaddr.IPNetwork, b: netaddr.IPNetwork) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)


def _v4_fields(
    request: NetworkRequest, subnet: netaddr.IPNetwork, *, vlan_mode: bool
) -> dict[str, str | None]:
    def inside(value: str | None, field: str) -> str | None:
        if not value:
            return None
        address = ip_address(value, field)
        if netaddr.IPAddress(address) not in subnet:
            raise exceptions.InvalidInput(
                field=field, reason=f"{address} is outside cidr {subnet}"
            )
        return address

    gateway = inside(request.gateway, "gateway") or str(subnet[1])
    if int(netaddr.IPAddress(gateway)) in (subnet.first, subnet.last):
        raise exceptions.InvalidInput(
            field="gateway", reason=f"{gateway} is the network or broadcast address of {subnet}"
        )
    allowed_start = inside(request.allowed_start, "allowed_start")
    allowed_end = inside(request.allowed_end, "allowed_end")
    if allowed_start and allowed_end and ranges.to_int(allowed_start) > ranges.to_int(allowed_end):
        raise exceptions.InvalidInput(
            field="allowed_start", reason=f"{allowed_start} is after allowed_end {allowed_end}"
        )
    fixed_cidr = None
    if request.fixed_cidr:
        sub = ipv4_network(request.fixed_cidr, "fixed_cidr")
        if sub not in subnet:
            raise exceptions.InvalidInput(
                field="fixed_cidr", reason=f"{sub} is outside cidr {subnet}"
            )
        fixed_cidr = str(sub)
    fields: dict[str, str | None] = {
        "cidr": str(subnet),
        "netmask": str(subnet.netmask),
        "gateway": gateway,
        "broadcast": str(subnet.broadcast),
        "dhcp_start": str(subnet[3] if vlan_mode else subnet[2]),
        "fixed_cidr": fixed_cidr,
        "allowed_start": allowed_start,
        "allowed_end": allowed_end,
        "vpn_private_address": str(subnet[2]) if vlan_mode else None,
    }
    alloc = ranges.allocation_range(
        str(subnet), fixed_cidr=fixed_cidr, allowed_start=allowed_start, allowed_end=allowed_end
    )
    if alloc.size == 0:
        raise exceptions.InvalidInput(
            field="allowed_start", reason=f"leaves no allocatable address in {subnet}"
        )
    return fields


def _gateway_v6(value: str | None, subnet: netaddr.IPNetwork | None) -> str | None:
    if subnet is None:
        return None
    if not value:
        return str(subnet[1])
    address = ip_address(value, "gateway_v6")
    if netaddr.IPAddress(address) not in subnet:
        raise exceptions.InvalidInput(
            field="gateway_v6", reason=f"{address} is outside cidr {subnet}"
        )
    return address


def _vlans(
    request: NetworkRequest, topology: Topology, num: int, used: Collection[int]
) -> list[int]:
    if not topology.vlan:
        return []
    taken = set(used)
    if request.vlan is not None:
        vlan = positive_int(request.vlan, "vlan")
        if vlan > MAX_VLAN:
            raise exceptions.InvalidInput(
                field="vlan", reason=f"must be 1..{MAX_VLAN}, got {vlan}"
            )
        if num != 1:
            raise exceptions.InvalidInput(field="vlan", reason="applies to one network only")
        if vlan in taken:
            raise DuplicateVlan(vlan=vlan, network="another network")
        return [vlan]
    start = positive_int(request.vlan_start, "vlan_start", default=100)
    if start > MAX_VLAN or num + start > MAX_VLAN:
        raise exceptions.InvalidInput(
            field="vlan_start",
            reason=f"num_networks {num} + vlan_start {start} exceeds {MAX_VLAN}",
        )
    vlans: list[int] = []
    candidate = start
    for _ in range(num):
        while candidate in taken:
            candidate += 1
        if candidate > MAX_VLAN:
            raise exceptions.InvalidInput(
                field="vlan_start", reason=f"no free VLAN left between {start} and {MAX_VLAN}"
            )
        vlans.append(candidate)
        taken.add(candidate)
        candidate += 1
    return vlans


def _uuid(value: str | None, num: int) -> str | None:
    if not value:
        return None
    try:
        parsed = str(uuidlib.UUID(value))
    except ValueError as err:
        raise exceptions.InvalidInput(field="uuid", reason=f"{value!r} is not a UUID") from err
    if num != 1:
        raise exceptions.InvalidInput(field="uuid", reason="applies to one network only")
    return parsed


def _bridge(value: str | None, topology: Topology, vlan: int | None) -> str | None:
    if value:
        return bridge_name(value, "bridge")
    if topology.vlan and vlan is not None:
        return f"br{vlan}"
    if topology.default_bridge is None:
        raise exceptions.InvalidInput(field="bridge", reason="is required")
    return topology.default_bridge


def _bridge_interface(value: str | None, topology: Topology) -> str | None:
    if value:
        return bridge_name(value, "bridge_interface")
    if topology.vlan and not topology.default_bridge_interface:
        raise exceptions.InvalidInput(
            field="bridge_interface", reason="is required (or set vlan_interface)"
        )
    return topology.default_bridge_interface or None


def used_from(networks: Sequence[tuple[str | None, str | None, int | None]]) -> Used:
    """``Used`` from ``(cidr, cidr_v6, vlan)`` tuples of existing networks."""
    return Used(
        cidrs=[c for c, _, _ in networks if c],
        cidrs_v6=[c for _, c, _ in networks if c],
        vlans=[v for _, _, v in networks if v is not None],
    )
