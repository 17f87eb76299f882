"""The base of every REST controller, the core's and the plugins'.

A controller action is a method ``(self, req, **path_variables)`` that
returns a dict (the body), ``None`` (204), or a ``webob.Response``.  Actions
that take a body declare its JSON schema with ``@expects(schema)`` and get
the validated dict as ``body=``.  ``@status(201)`` sets the success code.
Lists that page declare it with ``@paged``; any other action refuses
``limit`` and ``marker``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Controller:
    """Marker base; controllers hold their dependencies as attributes."""


Schema = Mapping[str, Any]


def expects(schema: Schema | Callable[[Any], Schema]) -> Callable[[F], F]:
    """Declare the action's request body schema (JSON Schema, draft 2020-12).

    ``schema`` may be a function of the controller, for a body that depends
    on the plugin (``netservice.networks.api.networks``: its declared fields).
    """

    def wrap(func: F) -> F:
        func.netservice_schema = schema  # type: ignore[attr-defined]
        return func

    return wrap


def status(code: int) -> Callable[[F], F]:
    """Declare the action's success status (default 200, or 204 for None)."""

    def wrap(func: F) -> F:
        func.netservice_status = code  # type: ignore[attr-defined]
        return func

    return wrap


def paged(func: F) -> F:
    """Declare that a list action reads ``limit`` and ``marker`` (``req.page``).

    Other actions answer 400 to a request that gives either.
    """
    func.netservice_paged = True  # type: ignore[attr-defined]
    return func


def is_paged(action: Callable[..., Any]) -> bool:
    return bool(getattr(action, "netservice_paged", False))


def schema_of(action: Callable[..., Any]) -> Schema | None:
    """The body schema of a bound action, None when it takes no body."""
    schema: Schema | Callable[[Any], Schema] | None = getattr(action, "netservice_schema", None)
    if callable(schema):
        return schema(getattr(action, "__self__", None))
    return schema


def status_of(action: Callable[..., Any]) -> int:
    code: int = getattr(action, "netservice_status", 200)
    return code
