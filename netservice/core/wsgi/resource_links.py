"""``links`` on every resource a response carries, as Compute API 1.1 resources have.

Each resource with an ``id`` (or a ``name`` or ``address``) in a response
body (``{"network": {...}}`` or ``{"networks": [...]}``) gets::

    "links": [{"rel": "self", "href": "<url>/v1.0/<service>/networks/<id>"},
              {"rel": "bookmark", "href": "<url>/<service>/networks/<id>"}]

``self`` is versioned, ``bookmark`` is not, as in the Compute API.  The URL
is the request's (``application_url``), so it honours the proxy headers.
A resource gets links only when its ``self`` path is a route that answers
``GET``: a link never points where nothing can be read.  Plugins need do
nothing: the core adds them to what their controllers return.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from netservice.core import exceptions
from netservice.core.routemap import VERSION, NetworkServiceRouteMap


def _resources(body: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The resources in a wrapped body, and whether it is a single one."""
    if len(body) != 1:
        # A list page has the list and its ``*_links``.
        lists = [v for k, v in body.items() if isinstance(v, list) and not k.endswith("_links")]
        if len(lists) != 1:
            return [], False
        (value,) = lists
    else:
        (value,) = body.values()
    if isinstance(value, dict):
        return ([value] if _key(value) is not None else []), True
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict) and _key(v) is not None], False
    return [], False


def _key(resource: dict[str, Any]) -> Any:
    """What the resource's path ends with: its ``id``, else its ``name`` (a network
    service, a floating IP pool) or ``address`` (a fixed IP)."""
    for key in ("id", "name", "address"):
        if key in resource:
            return resource[key]
    return None


def add(
    body: dict[str, Any], *, path: str, base_url: str, route_map: NetworkServiceRouteMap
) -> None:
    """Add ``links`` to the resources of ``body``, answered at ``path`` (without suffix)."""
    resources, single = _resources(body)
    if not resources or not path.startswith(f"/{VERSION}/"):
        return
    path = path.rstrip("/")
    collection = path.removesuffix("/detail")
    readable: dict[str, bool] = {}
    for resource in resources:
        if "links" in resource:
            continue
        rid = urllib.parse.quote(str(_key(resource)), safe="")
        last = path.rsplit("/", 1)[-1]
        own = path if single and last == rid else f"{collection}/{rid}"
        # One route lookup per template: the first resource's answers for the rest.
        template = own.rsplit("/", 1)[0]
        if template not in readable:
            readable[template] = _answers_get(route_map, own)
        if not readable[template]:
            continue
        resource["links"] = [
            {"rel": "self", "href": f"{base_url}{own}"},
            {"rel": "bookmark", "href": f"{base_url}{own.removeprefix('/' + VERSION)}"},
        ]


def _answers_get(route_map: NetworkServiceRouteMap, path: str) -> bool:
    try:
        route_map.match(urllib.parse.unquote(path), "GET")
    except exceptions.NetserviceError:
        return False
    return True
