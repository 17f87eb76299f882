"""Checks on identifiers shared by the REST API and the CLIs."""

from __future__ import annotations

import re

from netservice.core import exceptions

PROJECT_ID_RULE = (
    "1 to 255 characters: letters, digits, '-', '_' and '.', starting with a letter or digit"
)
_PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
# C0 and C1 controls, DEL, UTF-16 surrogates, and U+FFFE/U+FFFF: PostgreSQL
# refuses NUL and XML 1.0 cannot carry any of them.
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DIGITS = re.compile(r"^[0-9]{1,10}$")
# The database's INTEGER primary keys are signed 32-bit on every engine.
MAX_DB_ID = 2**31 - 1
MAX_LABEL = 255


def project_id(value: str, field: str = "project_id") -> str:
    """Return ``value`` if it is a well-formed project id, else raise InvalidInput.

    Keystone ids (32 hex digits) and nova-era names (``p1``) both pass.
    """
    return identifier(value, field)


def forbidden_character(value: str) -> str | None:
    """Why ``value`` may not be stored (its first control character), or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    return f"may not contain control characters (found U+{ord(found.group()):04X})"


def printable(value: str, field: str) -> str:
    """``value`` if it holds no control character, else InvalidInput naming ``field``."""
    problem = forbidden_character(value)
    if problem is not None:
        raise exceptions.InvalidInput(field=field, reason=problem)
    return value


def label(value: str | None, field: str = "label") -> str:
    """A resource's label: required, at most ``MAX_LABEL`` characters, printable."""
    if value is None or not str(value).strip():
        raise exceptions.InvalidInput(field=field, reason="is required")
    if len(value) > MAX_LABEL:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be at most {MAX_LABEL} characters, got {len(value)}"
        )
    return printable(value, field)


def db_id(value: str) -> int | None:
    """``value`` as a primary key if it is ASCII digits within INTEGER's range, else None.

    A number no row can have (``99999999999999999999``) is then simply not
    found, instead of reaching a query PostgreSQL cannot bind.
    """
    if not _DIGITS.match(value):
        return None
    number = int(value)
    return number if number <= MAX_DB_ID else None


def identifier(value: str, field: str) -> str:
    """Project, instance, VNIC and host ids all follow ``PROJECT_ID_RULE``."""
    if not isinstance(value, str) or not _PROJECT_ID.match(value):
        raise exceptions.InvalidInput(
            field=field, reason=f"must be {PROJECT_ID_RULE}, got {value!r}"
        )
    return value
