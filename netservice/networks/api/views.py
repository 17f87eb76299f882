"""Dicts the REST API returns (and the -manage tools print from).

``vnic``, ``port``, ``floating_ip`` and ``lease`` render the read models of
``netservice.networks.domain``.
"""

from __future__ import annotations

from typing import Any

from netservice.core.network_status import Status
from netservice.networks.domain import FloatingIp, Lease, Port, Vnic

BRIEF = ("label", "cidr", "cidr_v6", "project_id")
DETAIL = (
    "label",
    "cidr",
    "netmask",
    "gateway",
    "broadcast",
    "dhcp_start",
    "cidr_v6",
    "netmask_v6",
    "gateway_v6",
    "fixed_cidr",
    "allowed_start",
    "allowed_end",
    "dns1",
    "dns2",
    "bridge",
    "bridge_interface",
    "multi_host",
    "injected",
    "vlan",
    "project_id",
    "host",
    "created_at",
)


def network(
    row: Any, *, detail: bool = True, extra: tuple[str, ...] = (), status: Status | None = None
) -> dict[str, Any]:
    """``id`` is the network's uuid, as in nova's os-networks.

    ``extra`` names more columns a topology shows in detail (FlatDHCP: ``dhcp_server``).
    ``status`` (admins only) is shown as ``status`` (ACTIVE, ERROR or BUILD)
    and ``error``.
    """
    body: dict[str, Any] = {"id": row.uuid}
    body.update({key: getattr(row, key) for key in (DETAIL + extra if detail else BRIEF)})
    if status is not None:
        body["status"] = status.status
        body["error"] = status.error
    return body


def vnic(card: Vnic) -> dict[str, Any]:
    """``network_id`` is the network's uuid; ``address`` the VNIC's fixed IP, or None."""
    return {
        "id": card.id,
        "mac_address": card.mac,
        "network_id": card.network_uuid,
        "project_id": card.project_id,
        "instance_id": card.instance_id,
        "address": card.address,
        "created_at": card.created_at,
    }


def port(bound: Port) -> dict[str, Any]:
    """A port is a VNIC's binding to a fixed IP; it shares the VNIC's id."""
    return {
        "id": bound.id,
        "vnic_id": bound.vnic.id,
        "network_id": bound.vnic.network_uuid,
        "address": bound.address,
        "mac_address": bound.vnic.mac,
        "network_info": dict(bound.network_info),
    }


def fixed_ip(row: Any, net: Any) -> dict[str, Any]:
    return {
        "address": row.address,
        "network_id": net.uuid,
        "cidr": net.cidr,
        "allocated": bool(row.allocated),
        "reserved": bool(row.reserved),
        "leased": bool(row.leased),
        "vnic_id": row.vnic_id,
        "instance_id": row.instance_id,
        "host": row.host,
    }


def floating_ip(record: FloatingIp) -> dict[str, Any]:
    """A ``netservice.floating`` record, as nova's os-floating-ips showed it."""
    return {
        "id": record.id,
        "ip": record.address,
        "pool": record.pool,
        "fixed_ip": record.fixed_address,
        "instance_id": record.instance_id,
        "project_id": record.project_id,
        "auto_assigned": record.auto_assigned,
        "host": record.host,
        "interface": record.interface,
    }


def lease(entry: Lease) -> dict[str, Any]:
    """A VNIC's fixed IP as the network's dnsmasq serves it."""
    return {
        "address": entry.address,
        "mac_address": entry.mac,
        "vnic_id": entry.vnic_id,
        "instance_id": entry.instance_id,
        "host": entry.host,
        "allocated": entry.allocated,
        "leased": entry.leased,
        "updated_at": entry.updated_at,
    }
