"""JSON schemas of the Flat REST API's request bodies.

Values the planner checks (label length, sizes, addresses) are only typed
here, so REST and ``netservice-flat-manage`` give the same messages.
"""

from __future__ import annotations

from typing import Any

_TEXT = {"type": "string", "maxLength": 1024}
_NUMBER = {"type": ["integer", "string"]}
_NULLABLE_TEXT = {"type": ["string", "null"], "maxLength": 255}


def _wrapped(
    key: str, properties: dict[str, Any], required: list[str] | None = None
) -> dict[str, Any]:
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


NETWORK_CREATE = _wrapped(
    "network",
    {
        "label": _TEXT,
        "cidr": _TEXT,
        "cidr_v6": _TEXT,
        "num_networks": _NUMBER,
        "network_size": _NUMBER,
        "gateway": _TEXT,
        "gateway_v6": _TEXT,
        "bridge": _TEXT,
        "bridge_interface": _TEXT,
        "multi_host": {"type": ["boolean", "string"]},
        "dns1": _TEXT,
        "dns2": _TEXT,
        "uuid": _TEXT,
        "fixed_cidr": _TEXT,
        "project_id": _TEXT,
        "allowed_start": _TEXT,
        "allowed_end": _TEXT,
    },
)

NETWORK_UPDATE = _wrapped("network", {"project_id": _NULLABLE_TEXT, "host": _NULLABLE_TEXT})

VNIC_CREATE = _wrapped(
    "vnic", {"network_id": _TEXT, "instance_id": _NULLABLE_TEXT, "project_id": _TEXT}
)

PORT_CREATE = _wrapped(
    "port",
    {"vnic_id": _TEXT, "address": _TEXT, "instance_id": _NULLABLE_TEXT},
    required=["vnic_id"],
)

FIXED_IP_ACTION: dict[str, Any] = {
    "type": "object",
    "properties": {"reserve": {}, "unreserve": {}},
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
}
