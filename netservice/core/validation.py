"""Checks on identifiers shared by the REST API and the CLIs."""

from __future__ import annotations

import re

from netservice.core import exceptions

PROJECT_ID_RULE = (
    "1 to 255 characters: letters, digits, '-', '_' and '.', starting with a letter or digit"
)
_PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")


def project_id(value: str, field: str = "project_id") -> str:
    """Return ``value`` if it is a well-formed project id, else raise InvalidInput.

    Keystone ids (32 hex digits) and nova-era names (``p1``) both pass.
    """
    return identifier(value, field)


def identifier(value: str, field: str) -> str:
    """Project, instance, VNIC and host ids all follow ``PROJECT_ID_RULE``."""
    if not isinstance(value, str) or not _PROJECT_ID.match(value):
        raise exceptions.InvalidInput(
            field=field, reason=f"must be {PROJECT_ID_RULE}, got {value!r}"
        )
    return value
