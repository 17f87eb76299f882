"""JSON schemas of the request bodies of the networks REST API.

Values the planner checks (label length, sizes, addresses) are only typed
here, so REST and the -manage tools give the same messages.  Types are
strict: a JSON string is never taken for a number or a boolean (the -manage
tools' text goes through the planner's own parsing instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netservice.networks.domain import Network, network_fields

TEXT = {"type": "string", "maxLength": 1024}
# An id or a name: never empty, which would otherwise mean "pick one for me".
ID = {"type": "string", "minLength": 1, "maxLength": 255}
NUMBER = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
NULLABLE_TEXT = {"type": ["string", "null"], "minLength": 1, "maxLength": 255}


def wrapped(
    key: str, properties: dict[str, Any], required: list[str] | None = None
) -> dict[str, Any]:
    """``{key: {...properties}}`` with no other key allowed, at either level."""
    inner: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        inner["required"] = required
    return {
        "type": "object",
        "properties": {key: inner},
        "required": [key],
        "additionalProperties": False,
    }


# The JSON type of each ``NetworkField.request``.
REQUEST_TYPES: dict[str, dict[str, Any]] = {
    "text": TEXT,
    "id": ID,
    "number": NUMBER,
    "boolean": {"type": "boolean"},
}
# What ``network create`` takes besides the declared fields: how to split the range.
PLAN_ONLY: dict[str, dict[str, Any]] = {"num_networks": NUMBER, "network_size": NUMBER}


def network_create(
    declaration: type[Network] = Network, plan_only: Mapping[str, Any] = PLAN_ONLY
) -> dict[str, Any]:
    """The body of ``POST /networks``: each field ``declaration`` lets a request set.

    A field's ``NetworkField.request`` gives its JSON type (``REQUEST_TYPES``);
    ``plan_only`` adds the planner's other options (VLAN adds its numbering).
    """
    properties = {
        name: REQUEST_TYPES[spec.request]
        for name, spec in network_fields(declaration)
        if spec.request is not None
    }
    return wrapped("network", {**properties, **plan_only})


NETWORK_CREATE = network_create()

NETWORK_UPDATE = wrapped(
    "network",
    {
        "project_id": NULLABLE_TEXT,
        "host": NULLABLE_TEXT,
        "bridge_interface": {"type": "string", "minLength": 1, "maxLength": 255},
        "force": {"type": "boolean"},
    },
)

VNIC_CREATE = wrapped("vnic", {"network_id": ID, "instance_id": NULLABLE_TEXT, "project_id": ID})

PORT_CREATE = wrapped(
    "port",
    {"vnic_id": ID, "address": TEXT, "instance_id": NULLABLE_TEXT},
    required=["vnic_id"],
)

FIXED_IP_ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {"reserve": {}, "unreserve": {}},
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
}

FLOATING_IP_CREATE = wrapped(
    "floating_ip", {"pool": {"type": ["string", "null"], "maxLength": 255}, "project_id": ID}
)

FLOATING_IP_ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "associate": {
            "type": "object",
            "properties": {"fixed_address": TEXT},
            "required": ["fixed_address"],
            "additionalProperties": False,
        },
        "disassociate": {},
    },
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
}

FLOATING_IPS_BULK_CREATE = wrapped(
    "floating_ips_bulk_create",
    {"ip_range": TEXT, "pool": TEXT, "interface": TEXT},
    required=["ip_range"],
)

FLOATING_IPS_BULK_DELETE: dict[str, Any] = {
    "type": "object",
    "properties": {"ip_range": TEXT},
    "required": ["ip_range"],
    "additionalProperties": False,
}
