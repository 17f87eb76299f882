"""Dicts the REST API returns (and the -manage tools print from).

``vnic``, ``port``, ``floating_ip`` and ``lease`` render the read models of
``netservice.networks.domain``.
"""

from __future__ import annotations

from typing import Any

from netservice.core.network_status import Status
from netservice.networks.domain import (
    FixedIp,
    FloatingIp,
    Lease,
    Network,
    Port,
    Vnic,
    network_fields,
)


def shown(
    declaration: type[Network] = Network, *, detail: bool, dhcp: bool = False
) -> tuple[str, ...]:
    """The keys of a network's view besides ``id``, in declaration order.

    Brief: the fields whose ``NetworkField.view`` is ``brief``.  Detail: those
    and the ``detail`` ones, ``created_at``, then (``dhcp``: a topology that
    serves DHCP) the ``dhcp`` ones.
    """
    fields = list(network_fields(declaration))
    if not detail:
        return tuple(name for name, spec in fields if spec.view == "brief")
    keys = [name for name, spec in fields if spec.view in ("brief", "detail")]
    keys.append("created_at")
    if dhcp:
        keys += [name for name, spec in fields if spec.view == "dhcp"]
    return tuple(keys)


BRIEF = shown(detail=False)
DETAIL = shown(detail=True)


def network(
    net: Network, *, detail: bool = True, dhcp: bool = False, status: Status | None = None
) -> dict[str, Any]:
    """``id`` is the network's uuid, as in nova's os-networks.

    The keys are ``shown(type(net), ...)``: a declaration that adds fields
    shows them.  ``dhcp`` (FlatDHCP, VLAN) adds ``dhcp_server`` in detail.
    ``status`` (admins only) is shown as ``status`` (ACTIVE, ERROR or BUILD)
    and ``error``.
    """
    body: dict[str, Any] = {"id": net.uuid}
    keys = shown(type(net), detail=detail, dhcp=dhcp)
    body.update({key: getattr(net, key) for key in keys})
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


def fixed_ip(address: FixedIp, net: Network) -> dict[str, Any]:
    return {
        "address": address.address,
        "network_id": net.uuid,
        "cidr": net.cidr,
        "allocated": bool(address.allocated),
        "reserved": bool(address.reserved),
        "leased": bool(address.leased),
        "vnic_id": address.vnic_id,
        "instance_id": address.instance_id,
        "host": address.host,
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
