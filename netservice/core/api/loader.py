"""Loading the API application from a parsed configuration: shared by every server.

``netservice-api`` (waitress or its gunicorn workers) and the WSGI module
(``netservice.wsgi.api``, for gunicorn, uWSGI or mod_wsgi) build the
application the same way, and refuse to start the same way: one line
naming the option (ConfigurationError).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from oslo_config import cfg

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.manager import NetworkServiceManager


@dataclasses.dataclass
class LoadedApi:
    """The WSGI application and what it holds open."""

    app: Any
    manager: NetworkServiceManager

    def close(self) -> None:
        """Stop the notifier's listener and close the pool.  Idempotent."""
        if self.manager.notifier is not None:
            self.manager.notifier.close()
        self.manager.database.dispose()


def load(conf: cfg.ConfigOpts) -> LoadedApi:
    """Open the database, check the policy file and the schema, and build the app.

    On the embedded SQLite default (with ``[database] sync_on_start``) the
    schema is upgraded; a server database must already be current.  Raises
    ConfigurationError (or another NetserviceError) on bad configuration.
    """
    manager = bootstrap.open_services(conf)
    try:
        bootstrap.check_policy_file(conf)
        if manager.database.is_sqlite and conf.database.sync_on_start:
            bootstrap.sync_schema(manager)
        else:
            bootstrap.check_schema(manager)
        app = build_app(conf, manager)
    except BaseException:
        manager.database.dispose()
        raise
    return LoadedApi(app, manager)


def default_workers(conf: cfg.ConfigOpts, is_sqlite: bool) -> int:
    """``[api] workers``, or: 1 on SQLite or with embedded net-services, else the CPUs.

    SQLite serialises writers in one file, so processes only queue on its
    lock; net-services must run once per host, not once per worker.
    """
    if conf.api.workers:
        return int(conf.api.workers)
    if is_sqlite or conf.api.embedded_net_services:
        return 1
    return len(os.sched_getaffinity(0)) or 1
