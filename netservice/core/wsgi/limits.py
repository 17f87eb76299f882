"""Limits every request obeys before a controller (or the database) sees it.

A decoded body, a path variable or a query parameter that breaks one is
refused with InvalidInput (400) naming the field and the rule.  Every check
here is iterative: a document nested a million deep must cost a 400, never
a RecursionError, so nothing walks a body by recursion before its depth is
known to be small.

- Depth: at most ``MAX_DEPTH`` objects and arrays inside each other.
- Strings (values and keys): at most ``MAX_STRING`` characters (schemas
  narrow further), and no control characters, lone surrogates or
  non-characters: they cannot be stored on every engine (PostgreSQL refuses
  NUL) nor written as XML 1.0, so accepting one would break every later
  ``GET`` of the resource in XML.
- Integers: within the signed 32-bit range of the database's INTEGER
  columns, so no value reaches a query that the engine cannot bind.
- Floats: finite (JSON has no NaN or Infinity).
"""

from __future__ import annotations

import math
import re
from typing import Any

from netservice.core import exceptions
from netservice.core.validation import forbidden_character

MAX_DEPTH = 32
MAX_STRING = 65536
# Path variables and query parameters are ids, names, addresses and markers.
MAX_PARAM = 255
MIN_INT = -(2**31)
MAX_INT = 2**31 - 1

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def check_text(value: str, field: str, max_length: int = MAX_PARAM) -> str:
    """``value`` if it is printable and at most ``max_length`` characters long."""
    problem = forbidden_character(value)
    if problem is not None:
        raise exceptions.InvalidInput(field=field, reason=problem)
    if len(value) > max_length:
        raise exceptions.InvalidInput(
            field=field, reason=f"must be at most {max_length} characters, got {len(value)}"
        )
    return value


def check_json_depth(data: bytes, limit: int = MAX_DEPTH) -> None:
    """Refuse raw JSON nested deeper than ``limit``, before ``json.loads`` recurses."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise exceptions.InvalidInput(
                    field="body", reason=f"must not nest objects and arrays over {limit} deep"
                )
        else:
            depth -= 1


def check_body(body: Any) -> None:
    """Walk a decoded body without recursion; raise InvalidInput at the first breach."""
    stack: list[tuple[str, Any, int]] = [("", body, 0)]
    while stack:
        path, value, depth = stack.pop()
        field = path or "body"
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise exceptions.InvalidInput(
                    field=field, reason=f"must not nest objects and arrays over {MAX_DEPTH} deep"
                )
            if isinstance(value, dict):
                for key, item in value.items():
                    name = f"{path}.{key}" if path else str(key)
                    check_text(str(key), f"{path or 'body'} key", MAX_PARAM)
                    stack.append((name, item, depth + 1))
            else:
                stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            check_text(value, field, MAX_STRING)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not MIN_INT <= value <= MAX_INT:
                raise exceptions.InvalidInput(
                    field=field, reason=f"must be between {MIN_INT} and {MAX_INT}, got {value}"
                )
        elif isinstance(value, float) and not math.isfinite(value):
            raise exceptions.InvalidInput(field=field, reason="must be a finite number")
