"""``network create`` planning: nova-manage's semantics as pure functions.

``plan_networks`` turns the options of ``network create`` (the positional
form included) into the rows to write, checking every rule and naming the
field that breaks one.  It reads nothing and writes nothing: the caller
passes in what is already used (cidrs, VLANs) and writes the plan in one
transaction, under a lock that keeps ``used`` current.

The work is shared out: ``plans`` holds the request and plan types (all
re-exported here), ``subnets`` sizes and carves the subnets, ``numbering``
gives out VLAN ids and VPN ports, and ``fields`` checks the per-network
fields.  This module puts them together in the order the checks run.
"""

from __future__ import annotations

import logging
import uuid as uuidlib

import netaddr

from netservice.core import exceptions, validation
from netservice.ipam import fields, numbering, subnets
from netservice.ipam.fields import MAX_LABEL
from netservice.ipam.numbering import MAX_VLAN, MAX_VNI
from netservice.ipam.plans import (
    NetworkRequest,
    Plan,
    PlannedNetwork,
    Topology,
    Used,
    used_from,
)
from netservice.ipam.subnets import DEFAULT_SIZE_CAP, LONGEST_V6_PREFIX, MIN_V4_SIZE
from netservice.ipam.values import flag, ip_address, ipv4_network, ipv6_network, positive_int

__all__ = [
    "DEFAULT_SIZE_CAP",
    "LONGEST_V6_PREFIX",
    "MAX_LABEL",
    "MAX_VLAN",
    "MAX_VNI",
    "MIN_V4_SIZE",
    "NetworkRequest",
    "Plan",
    "PlannedNetwork",
    "Topology",
    "Used",
    "plan_networks",
    "used_from",
]

LOG = logging.getLogger(__name__)


def plan_networks(request: NetworkRequest, topology: Topology, used: Used) -> Plan:
    """Check ``request`` and split its range into networks.

    Raises InvalidInput naming the field (400), NetworkRangeTooSmall (400),
    CidrConflict (409) or DuplicateVlan (409).  Pure and deterministic,
    except for the uuids it draws for networks without ``--uuid``.
    """
    warnings: list[str] = []
    label = fields.label(request.label)
    cidr = ipv4_network(request.cidr, "fixed_range_v4") if request.cidr else None
    cidr_v6 = ipv6_network(request.cidr_v6, "fixed_range_v6") if request.cidr_v6 else None
    if cidr is None and cidr_v6 is None:
        raise exceptions.InvalidInput(
            field="fixed_range_v4",
            reason="at least one of fixed_range_v4 and fixed_range_v6 is required",
        )
    num = positive_int(request.num_networks, "num_networks", default=1)
    size = subnets.network_size(request.network_size, cidr, num, warnings)
    for message in warnings:
        LOG.info("%s", message)  # the caller shows plan.warnings to the operator
    subnets_v4: list[netaddr.IPNetwork | None] = [None] * num
    if cidr is not None:
        subnets_v4 = list(subnets.carve_v4(cidr, size, num, used.cidrs))
    subnets_v6: list[netaddr.IPNetwork | None] = [None] * num
    if cidr_v6 is not None:
        subnets_v6 = list(subnets.carve_v6(cidr_v6, size, num, used.cidrs_v6))
    vlans = numbering.vlans(request, topology, num, used.vlans)
    vpn_ports = numbering.vpn_ports(request, topology, num, used.vpn_ports)
    uuid = fields.uuid(request.uuid, num)
    project_id = validation.project_id(request.project_id) if request.project_id else None
    dns1 = ip_address(request.dns1, "dns1") if request.dns1 else topology.default_dns1
    dns2 = ip_address(request.dns2, "dns2") if request.dns2 else None
    multi_host = flag(request.multi_host, "multi_host", default=False)
    networks = []
    for index in range(num):
        subnet, subnet_v6 = subnets_v4[index], subnets_v6[index]
        vlan = vlans[index] if vlans else None
        v4 = (
            fields.v4_fields(
                request,
                subnet,
                vlan_mode=topology.vlan,
                cnt_vpn_clients=topology.cnt_vpn_clients,
            )
            if subnet is not None
            else {}
        )
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
                gateway_v6=fields.gateway_v6(request.gateway_v6, subnet_v6),
                dns1=dns1,
                dns2=dns2,
                bridge=fields.bridge(request.bridge, topology, vlan),
                bridge_interface=fields.bridge_interface(request.bridge_interface, topology),
                multi_host=multi_host,
                project_id=project_id,
                vlan=vlan,
                vpn_public_port=vpn_ports[index],
            )
        )
    return Plan(networks=networks, warnings=warnings)
