"""JSON and XML bodies, both ways.

XML follows the Compute API v1.1 layout: the single top-level key is the
root element, scalars are child elements, lists repeat a singular child
(``<networks><network>...``), and None is ``<x nil="true"/>``.  Requests are
parsed with defusedxml only, with DTDs forbidden, so entity expansion
(billion laughs) and external entities never happen.  XML text is typed by
the action's JSON schema, so ``<num_networks>3</num_networks>`` validates as
the integer 3.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

import defusedxml
from defusedxml import ElementTree as SafeElementTree

from netservice.core import exceptions
from netservice.core.wsgi import limits

XMLNS = "http://docs.openstack.org/netservice/api/v1.0"
JSON = "application/json"
XML = "application/xml"
_XML_TYPES = (XML, "text/xml")

# Lists whose item name is not the plural with its 's' dropped.
_SINGULAR = {"dns": "server", "addresses": "address", "ips": "ip", "links": "link"}


def singular(name: str) -> str:
    if name in _SINGULAR:
        return _SINGULAR[name]
    if name.endswith("_links"):
        return "link"
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes")):
        return name[:-2]
    if name.endswith("s") and len(name) > 1:
        return name[:-1]
    return "item"


def _default(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# --- JSON -------------------------------------------------------------------


def to_json(body: Mapping[str, Any]) -> bytes:
    # ASCII-only with every control character escaped, and no NaN: any
    # JSON parser reads what this writes.
    return json.dumps(body, default=_default, separators=(",", ":"), allow_nan=False).encode()


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def from_json(data: bytes) -> dict[str, Any]:
    limits.check_json_depth(data)
    try:
        body = json.loads(data, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as err:
        raise exceptions.MalformedBody(reason=f"not valid JSON: {err}") from err
    if not isinstance(body, dict):
        raise exceptions.MalformedBody(reason="the JSON body must be an object")
    return body


# --- XML, out -----------------------------------------------------------------


# What XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _xml_safe(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold replaced by U+FFFD.

    Input checks refuse such characters; this keeps a row written before
    them (or by a plugin) from making a whole list unparseable.
    """
    return _NOT_XML.sub("\ufffd", text)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return _xml_safe(str(value))


def _element(name: str, value: Any) -> ElementTree.Element:
    if _XML_NAME.match(name) and not name.lower().startswith("xml"):
        elem = ElementTree.Element(name)
    else:
        # A key that is not an XML name (a plugin's free-form map) keeps its text.
        elem = ElementTree.Element("item", {"key": _xml_safe(name)})
    if value is None:
        elem.set("nil", "true")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            elem.append(_element(str(key), item))
    elif isinstance(value, list | tuple):
        item_name = singular(name)
        for item in value:
            elem.append(_element(item_name, item))
    else:
        elem.text = _text(value)
    return elem


def to_xml(body: Mapping[str, Any]) -> bytes:
    """Serialise a Compute-style body; extra keys (``*_links``) nest in the root."""
    keys = [k for k in body if not k.endswith("_links")] or list(body)
    root_key = keys[0]
    root = _element(root_key, body[root_key])
    root.set("xmlns", XMLNS)
    for key, value in body.items():
        if key != root_key:
            root.append(_element(key, value))
    data: bytes = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data


# --- XML, in ------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _types(schema: Mapping[str, Any] | None) -> list[str]:
    if not schema:
        return []
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


_INT = re.compile(r"^[+-]?\d+$")


def _coerce(text: str, schema: Mapping[str, Any] | None) -> Any:
    for kind in _types(schema):
        if kind == "integer" and _INT.match(text.strip()):
            return int(text)
        if kind == "number":
            try:
                return float(text)
            except ValueError:
                continue
        if kind == "boolean" and text.strip().lower() in ("true", "false", "1", "0"):
            return text.strip().lower() in ("true", "1")
        if kind == "null" and text == "":
            return None
    return text


def _convert(elem: ElementTree.Element, schema: Mapping[str, Any] | None) -> Any:
    if (
        elem.get("nil") == "true"
        or elem.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    ):
        return None
    kinds = _types(schema)
    attrs = {k: v for k, v in elem.attrib.items() if _local(k) not in ("nil",)}
    if "array" in kinds:
        items = (schema or {}).get("items")
        return [_convert(child, items) for child in elem]
    is_object = "object" in kinds or (not kinds and (len(elem) or attrs))
    if is_object:
        props: Mapping[str, Any] = (schema or {}).get("properties", {})
        result: dict[str, Any] = {}
        for key, value in attrs.items():
            result[_local(key)] = _coerce(value, props.get(_local(key)))
        for child in elem:
            name = _local(child.tag)
            result[name] = _convert(child, props.get(name))
        return result
    return _coerce(elem.text or "", schema)


def _check_xml_depth(root: ElementTree.Element) -> None:
    """Refuse a tree deeper than ``limits.MAX_DEPTH`` before ``_convert`` recurses."""
    stack = [(root, 1)]
    while stack:
        elem, depth = stack.pop()
        if depth > limits.MAX_DEPTH:
            raise exceptions.InvalidInput(
                field="body", reason=f"must not nest elements over {limits.MAX_DEPTH} deep"
            )
        stack.extend((child, depth + 1) for child in elem)


def from_xml(data: bytes, schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parse an XML request body into the dict its JSON twin would give."""
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as err:
        raise exceptions.MalformedBody(
            reason=f"XML with a DTD or entities is refused ({type(err).__name__})"
        ) from err
    except ElementTree.ParseError as err:
        raise exceptions.MalformedBody(reason=f"not well-formed XML: {err}") from err
    _check_xml_depth(root)
    name = _local(root.tag)
    props = (schema or {}).get("properties", {})
    return {name: _convert(root, props.get(name, {"type": "object"}))}


def is_xml(content_type: str) -> bool:
    return content_type in _XML_TYPES


def is_json(content_type: str) -> bool:
    return content_type == JSON
