"""The middleware in front of the application, in the order ``[api] pipeline`` names.

This is netservice's equivalent of the ``api-paste.ini`` nova and neutron
ship: an operator reorders or drops filters with one option, and the
factories get the loaded configuration and database handed in, rather than
reading a process-wide ``CONF`` as paste-deploy's factories must.  The
authentication strategy (``[api] auth_strategy``) is always the innermost
filter, right in front of the application.

Filters, outermost first in the default:

- ``cors``: oslo.middleware's CORS; answers preflights only for the origins
  in ``[cors] allowed_origin`` (none by default: off);
- ``http_proxy_to_wsgi``: takes the scheme, host and prefix from
  ``Forwarded``/``X-Forwarded-*`` when ``[oslo_middleware]
  enable_proxy_headers_parsing`` is true, so links point at the proxy;
- ``request_id``: a ``req-<uuid>`` per request, returned as
  ``X-Openstack-Request-Id``; a client's own ``X-Openstack-Request-Id`` of
  that form becomes the global request id (anything else is ignored);
- ``access_log``: one line per request (``netservice.access``);
- ``healthcheck``: ``/healthcheck``, asking the database;
- ``metrics``: ``/metrics`` and the request figures, when ``[api] metrics``.

oslo.middleware's ``sizelimit`` is not used: it answers an oversized body
with a plain-text 413 before routing, where ours (``[api]
max_request_body_size``) answers a 413 fault in the format the client
negotiated (JSON or XML) like every other error, and only on the routes that
take a body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from oslo_config import cfg
from oslo_middleware import cors, http_proxy_to_wsgi, request_id

from netservice.core import exceptions
from netservice.core.db.session import Database
from netservice.core.wsgi import access_log, health

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Factory = Callable[[WSGIApp, cfg.ConfigOpts, Database], WSGIApp]


def _metrics(app: WSGIApp, conf: cfg.ConfigOpts, database: Database) -> WSGIApp:
    if not conf.api.metrics:
        return app
    from netservice.core.wsgi import metrics  # noqa: PLC0415 - only when enabled

    return metrics.Metrics(app, database)


FILTERS: dict[str, Factory] = {
    "cors": lambda app, conf, _db: cors.CORS(app, conf),
    "http_proxy_to_wsgi": lambda app, conf, _db: http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf),
    "request_id": lambda app, conf, _db: request_id.RequestId(app, conf),
    "access_log": lambda app, _conf, _db: access_log.AccessLog(app),
    "healthcheck": health.middleware,
    "metrics": _metrics,
}
DEFAULT = ["cors", "http_proxy_to_wsgi", "request_id", "access_log", "healthcheck", "metrics"]


def wrap(app: WSGIApp, conf: cfg.ConfigOpts, database: Database, names: Sequence[str]) -> WSGIApp:
    """``app`` behind the filters ``names``, the first outermost.

    Raises ConfigurationError naming ``[api] pipeline`` for an unknown or
    repeated filter.
    """
    unknown = [name for name in names if name not in FILTERS]
    if unknown:
        raise exceptions.ConfigurationError(
            reason=f"[api] pipeline: unknown filter(s) {', '.join(unknown)}; "
            f"known: {', '.join(FILTERS)}"
        )
    if len(set(names)) != len(names):
        raise exceptions.ConfigurationError(reason="[api] pipeline: a filter may appear once")
    for name in reversed(names):
        app = FILTERS[name](app, conf, database)
    return app
