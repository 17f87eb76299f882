"""One log line per request: method, path, status, size and time.

The line is logged (logger ``netservice.access``) with the request's
context, so oslo.log prints the request id, the caller's global request id,
project and user in it, the same request id the response carries in
``X-Openstack-Request-Id``.  It is written once the body has been sent (or
the client went away), so the size and time are those of the whole answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from oslo_middleware import request_id

from netservice.core.context import RequestContext
from netservice.core.wsgi.request import CONTEXT_KEY

LOG = logging.getLogger("netservice.access")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class AccessLog:
    """Logs every request ``app`` answers."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started = time.monotonic()
        status: list[str] = []

        def _start(code: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, *exc)

        body = self.app(environ, _start)
        return self._sent(environ, body, status, started)

    def _sent(
        self,
        environ: dict[str, Any],
        body: Iterable[bytes],
        status: list[str],
        started: float,
    ) -> Iterator[bytes]:
        size = 0
        try:
            for chunk in body:
                size += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
            _log(environ, status[0] if status else "-", size, time.monotonic() - started)


def _context(environ: dict[str, Any]) -> RequestContext:
    """The request's context; one with just the ids when the caller was refused."""
    context = environ.get(CONTEXT_KEY)
    if isinstance(context, RequestContext):
        return context
    return RequestContext(
        request_id=environ.get(request_id.ENV_REQUEST_ID),
        global_request_id=environ.get(request_id.GLOBAL_REQ_ID),
    )


def _log(environ: dict[str, Any], status: str, size: int, seconds: float) -> None:
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING")
    LOG.info(
        '"%s %s" status: %s len: %d time: %.4f',
        environ.get("REQUEST_METHOD", "-"),
        f"{path}?{query}" if query else path,
        status,
        size,
        seconds,
        extra={"context": _context(environ)},
    )
