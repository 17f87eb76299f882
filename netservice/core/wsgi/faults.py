"""One table from domain exceptions to HTTP, and the fault bodies.

Faults look like Compute API v1.1's: ``{"itemNotFound": {"code": 404,
"message": "..."}}`` in JSON, ``<itemNotFound code="404"><message>...``
in XML.
"""

from __future__ import annotations

import logging
from typing import Any

import netaddr

from netservice.core import exceptions
from netservice.core.routemap import MethodNotAllowed

LOG = logging.getLogger(__name__)

FAULT_NAMES: dict[int, str] = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    406: "notAcceptable",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    500: "networkServiceFault",
    501: "notImplemented",
    503: "serviceUnavailable",
}

# Looked up along the exception's MRO, so a subclass inherits its parent's code.
FAULT_MAP: dict[type[BaseException], int] = {
    exceptions.BadRequest: 400,
    netaddr.AddrFormatError: 400,
    exceptions.NotAuthorized: 401,
    exceptions.Forbidden: 403,
    exceptions.NotFound: 404,
    MethodNotAllowed: 405,
    exceptions.NotAcceptable: 406,
    exceptions.Conflict: 409,
    exceptions.QuotaExceeded: 413,
    exceptions.UnsupportedMediaType: 415,
    NotImplementedError: 501,
    exceptions.ServiceUnavailable: 503,
}


class RequestTooLarge(exceptions.NetserviceError):
    msg_fmt = "Request body of %(size)s bytes is over the limit of %(limit)s bytes"


FAULT_MAP[RequestTooLarge] = 413


def status_for(error: BaseException) -> int:
    """The HTTP status for ``error``; 500 for anything not in the table."""
    for cls in type(error).__mro__:
        if cls in FAULT_MAP:
            return FAULT_MAP[cls]
    return 500


def headers_for(error: BaseException, status: int) -> dict[str, str]:
    """Headers a fault carries: ``Retry-After`` on a 503 whose error says when."""
    retry_after = getattr(error, "retry_after", None)
    if status == 503 and isinstance(retry_after, int) and retry_after > 0:
        return {"Retry-After": str(retry_after)}
    return {}


def fault_body(status: int, message: str) -> dict[str, Any]:
    return {FAULT_NAMES.get(status, "networkServiceFault"): {"code": status, "message": message}}


def message_for(error: BaseException, status: int) -> str:
    """What the client is told.  Internal errors never leak their text."""
    if status == 500:
        return "The server has either erred or is incapable of performing the requested operation."
    if isinstance(error, exceptions.NetserviceError):
        return error.message
    return str(error) or type(error).__name__
