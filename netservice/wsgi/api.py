"""The REST API as a WSGI application, for gunicorn, uWSGI or mod_wsgi.

The configuration files are named, comma-separated, in
``NETSERVICE_CONFIG_FILES`` (default ``/etc/netservice/netservice.conf``),
as nova's and keystone's WSGI modules read theirs from the environment::

    NETSERVICE_CONFIG_FILES=/etc/netservice/netservice.conf \\
        gunicorn --workers 4 --bind 127.0.0.1:9797 'netservice.wsgi.api:init_application()'

``application`` is built on first use, in the process that serves it: a
server that imports this module in each worker (gunicorn without
``--preload``, uWSGI's ``lazy-apps``) gives each worker its own database pool.
A server that loads the application once and then forks must call
``after_fork()`` in each worker (``etc/gunicorn.conf.py`` does).  mod_wsgi's
``WSGIScriptAlias`` takes ``etc/netservice-api.wsgi``.

The net-services never run here (``[api] embedded_net_services`` is
ignored): run ``netservice-network`` on the network hosts.  Bad
configuration raises ConfigurationError, with one line naming the option.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from netservice.core import bootstrap, config
from netservice.core.api import loader

LOG = logging.getLogger("netservice.api")

CONFIG_FILES_ENV = "NETSERVICE_CONFIG_FILES"
DEFAULT_CONFIG_FILES = ("/etc/netservice/netservice.conf",)

_LOCK = threading.Lock()
_LOADED: loader.LoadedApi | None = None


def config_files(environ: dict[str, str] | None = None) -> list[str]:
    """The files ``NETSERVICE_CONFIG_FILES`` names, in order (the last one wins)."""
    raw = (os.environ if environ is None else environ).get(CONFIG_FILES_ENV, "")
    files = [name.strip() for name in raw.split(",") if name.strip()]
    return files or list(DEFAULT_CONFIG_FILES)


def init_application(files: list[str] | None = None) -> Any:
    """Parse the config files, set up logging and build the application (once per process)."""
    global _LOADED  # noqa: PLW0603 - one application per process
    with _LOCK:
        if _LOADED is None:
            argv = []
            for name in files or config_files():
                argv += ["--config-file", name]
            conf = config.load(argv, prog="netservice-api", default_config_files=[])
            bootstrap.setup_logging(conf)
            if conf.api.embedded_net_services:
                LOG.warning(
                    "[api] embedded_net_services is ignored under a WSGI server: "
                    "run netservice-network on the network hosts"
                )
            _LOADED = loader.load(conf)
            LOG.info(
                "netservice API application loaded in process %d (services: %s)",
                os.getpid(),
                ", ".join(_LOADED.manager.names()) or "none",
            )
        return _LOADED.app


def after_fork() -> None:
    """In a worker forked after the application was built: a database pool of its own."""
    if _LOADED is not None:
        _LOADED.manager.database.after_fork()


def __getattr__(name: str) -> Any:
    # ``netservice.wsgi.api:application`` (uWSGI's ``module``, gunicorn) builds
    # on first access, in the process that asks.
    if name == "application":
        return init_application()
    raise AttributeError(name)
