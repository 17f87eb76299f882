"""``/healthcheck``: oslo.middleware's, with a backend that asks the database.

The backend is registered as ``netservice_database`` in the
``oslo.middleware.healthcheck`` namespace and is on by default
(``[healthcheck] backends``).  It runs ``SELECT 1`` through the worker's own
connection pool: 200 when the database answers, 503 naming the error when
it does not, so a load balancer takes the worker out while the database is
unreachable.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from oslo_middleware import healthcheck
from oslo_middleware.healthcheck import pluginbase

from netservice.core import exceptions
from netservice.core.db.session import Database

LOG = logging.getLogger(__name__)

PATH = "/healthcheck"
BACKEND = "netservice_database"
# The key of the middleware's conf dict that hands the backend the database.
DATABASE_KEY = "netservice.database"


class DatabaseCheck(pluginbase.HealthcheckBaseExtension):
    """Available when ``SELECT 1`` answers."""

    def healthcheck(self, server_port: int) -> pluginbase.HealthcheckResult:
        database: Database | None = self.conf.get(DATABASE_KEY)
        if database is None:
            return pluginbase.HealthcheckResult(
                available=False, reason="no database handed to the healthcheck"
            )
        try:
            with database.autocommit_connection() as conn:
                conn.execute(sa.text("SELECT 1"))
        except (sa.exc.SQLAlchemyError, exceptions.DatabaseUnavailable) as err:
            first = str(getattr(err, "orig", None) or err).strip().splitlines()
            reason = f"database unavailable: {first[0] if first else type(err).__name__}"
            LOG.warning("healthcheck: %s", reason)
            return pluginbase.HealthcheckResult(available=False, reason=reason)
        return pluginbase.HealthcheckResult(available=True, reason="OK")


class HealthcheckRoute:
    """Hands ``/healthcheck`` to oslo.middleware's Healthcheck, everything else to ``app``.

    oslo.middleware's Healthcheck is an application of its own (paste
    deployments mount it at ``/healthcheck`` with ``urlmap``): this is that
    mount.
    """

    def __init__(self, app: Any, conf: cfg.ConfigOpts, database: Database) -> None:
        self.app = app
        self.check = healthcheck.Healthcheck(None, conf)
        # Each backend holds the middleware's ``conf`` dict (oslo.middleware
        # hands it to them on load): the one channel to give them the database.
        self.check.conf[DATABASE_KEY] = database

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") in (PATH, PATH + "/"):
            return self.check(environ, start_response)
        return self.app(environ, start_response)


def middleware(app: Any, conf: cfg.ConfigOpts, database: Database) -> Any:
    """``/healthcheck`` in front of ``app``."""
    return HealthcheckRoute(app, conf, database)
