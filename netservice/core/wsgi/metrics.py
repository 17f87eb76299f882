"""``/metrics``: Prometheus figures of the API (``[api] metrics``, off by default).

- ``netservice_api_requests_total{method,route,status}``: requests answered;
- ``netservice_api_request_seconds{method,route,status}``: their latency;
- ``netservice_db_pool_connections{state}``: the worker's database pool
  (``checked_out``, ``idle``, ``size``, ``overflow``), set after each request.

``route`` is the route's template (``/v1.0/vlan/networks/{id}``), never the
raw path, so the number of series stays bounded; a path that matched no
route is counted under ``<unmatched>``.

With several workers each process keeps its own figures.  prometheus_client's
multiprocess mode adds them up: when ``PROMETHEUS_MULTIPROC_DIR`` is set
(``netservice-api`` sets it to a fresh directory when it starts workers;
under another WSGI server set it, to an empty directory, before the server
starts) every worker writes its figures there and ``/metrics`` answered by any
worker reports the sum of all of them.  Without it, a scrape reports only the
worker that answered.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

import prometheus_client
from prometheus_client import multiprocess

from netservice.core.db.session import Database
from netservice.core.wsgi.app import ROUTE_KEY

PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Figures:
    """The metric objects, registered once per process."""

    def __init__(self) -> None:
        self.registry = prometheus_client.CollectorRegistry(auto_describe=True)
        labels = ("method", "route", "status")
        self.requests = prometheus_client.Counter(
            "netservice_api_requests",
            "Requests answered by the API.",
            labels,
            registry=self.registry,
        )
        self.latency = prometheus_client.Histogram(
            "netservice_api_request_seconds",
            "Time to answer a request, in seconds.",
            labels,
            registry=self.registry,
        )
        # livesum: the pool figures of the workers alive now, added up.
        self.pool = prometheus_client.Gauge(
            "netservice_db_pool_connections",
            "Connections of the database pool, by state.",
            ("state",),
            registry=self.registry,
            multiprocess_mode="livesum",
        )


_FIGURES: _Figures | None = None


def _figures() -> _Figures:
    global _FIGURES  # noqa: PLW0603 - one set of metric objects per process
    if _FIGURES is None:
        _FIGURES = _Figures()
    return _FIGURES


def scrape() -> bytes:
    """The text exposition: of every worker in multiprocess mode, else of this process."""
    if os.environ.get(MULTIPROC_ENV):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return bytes(prometheus_client.generate_latest(registry))
    return bytes(prometheus_client.generate_latest(_figures().registry))


def _pool_figures(database: Database) -> dict[str, int]:
    pool: Any = database.engine.pool
    figures = {}
    for state, name in (
        ("checked_out", "checkedout"),
        ("idle", "checkedin"),
        ("size", "size"),
        ("overflow", "overflow"),
    ):
        method = getattr(pool, name, None)
        if callable(method):
            # SQLAlchemy counts overflow up from -pool_size; only the
            # connections opened beyond the pool's size are overflow.
            figures[state] = max(0, int(method())) if state == "overflow" else int(method())
    return figures


class Metrics:
    """Counts and times every request; answers ``GET /metrics``."""

    def __init__(self, app: WSGIApp, database: Database) -> None:
        self.app = app
        self.database = database
        self.figures = _figures()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            body = scrape()
            start_response(
                "200 OK",
                [
                    ("Content-Type", prometheus_client.CONTENT_TYPE_LATEST),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        started = time.monotonic()
        status: list[str] = []

        def _start(code: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, *exc)

        try:
            return self.app(environ, _start)
        finally:
            labels = (
                environ.get("REQUEST_METHOD", "-"),
                environ.get(ROUTE_KEY, "<unmatched>"),
                status[0] if status else "500",
            )
            self.figures.requests.labels(*labels).inc()
            self.figures.latency.labels(*labels).observe(time.monotonic() - started)
            for state, value in _pool_figures(self.database).items():
                self.figures.pool.labels(state).set(value)
