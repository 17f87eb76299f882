"""``GET /`` and ``GET /v1.0`` (or ``/v1.0/``): the API versions, as the Compute API lists its own.

``version`` and ``min_version`` are empty: v1.0 has no microversions, and
the Compute API's version document says so the same way (its v2.0).  The
links are built from the request's URL, so behind a proxy (``[oslo_middleware]
enable_proxy_headers_parsing``) they carry the proxy's scheme, host and
prefix.
"""

from __future__ import annotations

from typing import Any

from netservice.core.routemap import VERSION
from netservice.core.wsgi import Controller, Request

UPDATED = "2026-11-20T00:00:00Z"


def _version(req: Request) -> dict[str, Any]:
    return {
        "id": VERSION,
        "status": "CURRENT",
        "version": "",
        "min_version": "",
        "updated": UPDATED,
        "links": [{"rel": "self", "href": f"{req.application_url}/{VERSION}/"}],
        "media-types": [
            {
                "base": "application/json",
                "type": "application/vnd.openstack.netservice+json;version=1.0",
            },
            {
                "base": "application/xml",
                "type": "application/vnd.openstack.netservice+xml;version=1.0",
            },
        ],
    }


class VersionsController(Controller):
    def index(self, req: Request) -> dict[str, Any]:
        return {"versions": [_version(req)]}

    def show(self, req: Request) -> dict[str, Any]:
        return {"version": _version(req)}
