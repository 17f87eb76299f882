"""JSON schemas of the request bodies VLAN's REST API adds or extends.

Values the service layer checks (vlan ranges, addresses, ports) are only
typed here, so REST and ``netservice-vlan-manage`` give the same messages.
"""

from __future__ import annotations

from typing import Any

from netservice.networks.api import schemas

TEXT = schemas.TEXT
NUMBER = schemas.NUMBER

# What ``network create`` takes besides the declared fields: the split and the numbering.
PLAN_OPTIONS: dict[str, Any] = {
    **schemas.PLAN_ONLY,
    "vlan": NUMBER,
    "vlan_start": NUMBER,
    "vpn_start": NUMBER,
}

NETWORK_CREATE = schemas.network_create(plan_only=PLAN_OPTIONS)

# os-networks' actions.  The disassociate ones take no value: ``null`` (a
# value is refused by the controller with a message naming it).
NETWORK_ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "associate_host": schemas.ID,
        "associate_project": schemas.ID,
        "disassociate": {},
        "disassociate_host": {},
        "disassociate_project": {},
    },
    "minProperties": 1,
    "additionalProperties": False,
}

NETWORK_ADD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": ["string", "null"], "minLength": 1, "maxLength": 255},
        "project_id": schemas.ID,
    },
    "additionalProperties": False,
}

PORT_CREATE = schemas.wrapped(
    "port",
    {**schemas.PORT_CREATE["properties"]["port"]["properties"], "vpn": {"type": "boolean"}},
    required=["vnic_id"],
)

VPN_UPDATE = schemas.wrapped(
    "vpn",
    {"public_address": TEXT, "public_port": NUMBER},
    required=["public_address", "public_port"],
)
