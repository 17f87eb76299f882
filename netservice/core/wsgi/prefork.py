"""``netservice-api`` with several worker processes: gunicorn's pre-fork server.

Why gunicorn: it is a pure-Python package that pip installs with the rest
(uWSGI needs a C toolchain to build), it runs a WSGI application object
handed to it in-process (so ``netservice-api`` stays one command with one
config), and its master supervises the workers: it restarts one that dies,
and on SIGTERM it stops accepting, lets each worker finish the requests it
has started for up to ``graceful_timeout`` seconds, and exits 0, as
``netservice-api``'s single-process server does.  SIGINT does the same here
(gunicorn's own default for SIGINT is a quick stop).

The application is built in the master, so bad configuration stops
start-up with one line before any worker exists; each worker then forgets
the master's database connections and opens its own pool (``post_fork``).
Each worker runs ``[api] threads`` threads (gunicorn's ``gthread`` worker).
"""

from __future__ import annotations

import logging
import math
import os
import socket
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from netservice.core.wsgi.server import bind_error

LOG = logging.getLogger(__name__)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any worker starts.

    Raises ConfigurationError naming the option (port in use, not an
    address of this host, no permission): one line, exit 1, rather than
    gunicorn's retries.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise bind_error(err, host, port) from err
    return sock


class _Arbiter(Arbiter):  # type: ignore[misc]  # gunicorn ships no type hints
    def handle_int(self) -> None:
        # As netservice-api's single process: SIGINT stops gracefully too.
        self.handle_term()


class PreforkServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's master serving ``app`` on ``sock`` with ``workers`` processes."""

    def __init__(
        self,
        app: Any,
        sock: socket.socket,
        *,
        workers: int,
        threads: int,
        graceful_timeout: float,
        after_fork: Callable[[], None],
        child_exit: Callable[[int], None] | None = None,
    ) -> None:
        self._app = app
        self._options: dict[str, Any] = {
            "bind": [f"fd://{sock.fileno()}"],
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "graceful_timeout": math.ceil(graceful_timeout),
            "preload_app": True,
            "proc_name": "netservice-api",
            # netservice's access log (one line per request, with the request
            # id) replaces gunicorn's.
            "accesslog": None,
            "errorlog": "-",
            "control_socket_disable": True,
            "post_fork": lambda _server, _worker: after_fork(),
            "child_exit": lambda _server, worker: child_exit(worker.pid) if child_exit else None,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._app

    def serve(self) -> int:
        """Run until SIGTERM or SIGINT; the exit status gunicorn's master ends with."""
        master = os.getpid()
        try:
            _Arbiter(self).run()
        except SystemExit as done:
            status = int(done.code or 0) if not isinstance(done.code, str) else 1
            if os.getpid() != master:
                # A worker ends here once gunicorn is done with it: the
                # caller's clean-up (closing the master's pool, removing the
                # metrics directory) is the master's alone.
                logging.shutdown()
                os._exit(status)
            return status
        return 0
