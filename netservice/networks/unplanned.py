"""Declared fields that ``network create`` stores as given, without the planner.

A field of a ``netservice.networks.domain.Network`` declaration with
``request`` set and ``planned=False`` is one the planner knows nothing
about: the REST body or the -manage flag carries it in
``NetworkRequest.extra`` (``network_request``), its JSON type is checked
(``checked``), and it is written onto each network the request creates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from netservice.core import exceptions, validation
from netservice.ipam.plans import NetworkRequest
from netservice.ipam.values import MAX_INT, flag
from netservice.networks.domain import Network, NetworkField, network_fields

_REQUEST_FIELDS = frozenset(f.name for f in dataclasses.fields(NetworkRequest)) - {"extra"}


def unplanned_fields(declaration: type[Network] = Network) -> dict[str, NetworkField]:
    """The fields ``network create`` takes that the planner does not know."""
    return {
        name: spec
        for name, spec in network_fields(declaration)
        if spec.request is not None and not spec.planned
    }


def network_request(
    values: Mapping[str, Any], declaration: type[Network] = Network
) -> NetworkRequest:
    """``values`` (a REST body or the -manage options) as a ``NetworkRequest``.

    Unplanned fields go to ``extra`` (when given: None is "not given"); every
    other key must be a ``NetworkRequest`` field, else InvalidInput.
    """
    unplanned = unplanned_fields(declaration)
    extra = {k: v for k, v in values.items() if k in unplanned and v is not None}
    given = {k: v for k, v in values.items() if k not in unplanned}
    unknown = sorted(set(given) - _REQUEST_FIELDS)
    if unknown:
        raise exceptions.InvalidInput(field=unknown[0], reason="is not a network create option")
    return NetworkRequest(**given, extra=extra)


def _text(spec: NetworkField, value: Any, field: str) -> str:
    limit = spec.length or 1024
    if not isinstance(value, str) or len(value) > limit:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be text of at most {limit} characters"
        )
    # The REST body's limits refuse control characters; a -manage flag's text must too.
    return validation.printable(value, field)


def _id(spec: NetworkField, value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise exceptions.InvalidInput(field=field, reason="must be a non-empty id")
    return _text(spec, value, field)


def _number(_spec: NetworkField, value: Any, field: str) -> int:
    # Text from a -manage flag is parsed; JSON must already be a number.
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be an integer from 0 to {MAX_INT}, got {value!r}"
        )
    return value


def _boolean(_spec: NetworkField, value: Any, field: str) -> bool:
    return flag(value, field, default=False)


_CHECKS: dict[str, Callable[[NetworkField, Any, str], Any]] = {
    "text": _text,
    "id": _id,
    "number": _number,
    "boolean": _boolean,
}


def checked(extra: Mapping[str, Any], declaration: type[Network] = Network) -> dict[str, Any]:
    """``extra``'s values as their columns take them; InvalidInput names a bad one.

    A key that is not an unplanned field of ``declaration`` is InvalidInput too.
    """
    unplanned = unplanned_fields(declaration)
    values = {}
    for name, value in extra.items():
        spec = unplanned.get(name)
        if spec is None or spec.request is None:
            raise exceptions.InvalidInput(field=name, reason="is not a network create option")
        values[name] = _CHECKS[spec.request](spec, value, name)
    return values
