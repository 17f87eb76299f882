"""The one-process HTTP server behind ``netservice-api``: waitress, stopped gracefully.

waitress stops on KeyboardInterrupt by dropping whatever is in flight.  An
operator's SIGTERM (systemd, ``kill``, a container runtime) must instead let
requests that have started finish: so the loop below runs waitress's
dispatcher one poll at a time, and when asked to stop it first closes the
listening sockets (new connections are refused), then keeps polling until no
connection has a request in progress or bytes left to send, or the grace
period runs out, and only then closes everything.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import waitress
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer

from netservice.core import exceptions

LOG = logging.getLogger(__name__)

# How often the loop looks at the stop flag; a poll returns early on traffic.
_POLL_SECONDS = 0.2
_DRAIN_POLL_SECONDS = 0.05


def bind_error(err: OSError, host: str, port: int) -> exceptions.ConfigurationError:
    """The one line naming the option for an address the API cannot listen on."""
    if err.errno == errno.EADDRINUSE:
        reason = f"{host}:{port} is already in use ([api] bind_host, bind_port)"
    elif err.errno == errno.EADDRNOTAVAIL:
        reason = f"{host} is not an address of this host ([api] bind_host)"
    elif err.errno == errno.EACCES:
        reason = f"no permission to listen on {host}:{port} ([api] bind_port)"
    else:
        reason = f"cannot listen on {host}:{port}: {err.strerror}"
    return exceptions.ConfigurationError(reason=reason)


class GracefulServer:
    """waitress bound to ``host:port``; ``serve`` returns once ``stop`` is set and drained."""

    def __init__(self, app: Any, *, host: str, port: int, threads: int) -> None:
        """Bind now.  Raises ConfigurationError naming the address when it is taken."""
        self._map: dict[int, Any] = {}
        try:
            self._server = waitress.create_server(
                app,
                map=self._map,
                host=host,
                port=port,
                threads=threads,
                ident="netservice",
                # waitress drops X-Forwarded-* unless told which proxy to
                # trust; whether to believe them is [oslo_middleware]
                # enable_proxy_headers_parsing's to decide (http_proxy_to_wsgi).
                clear_untrusted_proxy_headers=False,
            )
        except OSError as err:
            raise bind_error(err, host, port) from err

    @property
    def port(self) -> int:
        """The port bound (the one chosen by the kernel when 0 was asked)."""
        return int(getattr(self._server, "effective_port", 0))

    def serve(
        self, stop: threading.Event, grace: float, on_stop: Callable[[], None] = lambda: None
    ) -> None:
        """Serve until ``stop`` is set, then drain for at most ``grace`` seconds and close.

        ``on_stop`` is called once the flag is seen, before the listeners close.
        """
        server = self._server
        try:
            while not stop.is_set():
                wasyncore.loop(timeout=_POLL_SECONDS, map=self._map, count=1)
            on_stop()
            self._close_listeners()
            deadline = time.monotonic() + grace
            while True:
                # Poll first: bytes a client sent before the signal are read,
                # so a request that had begun to arrive counts as in progress.
                wasyncore.loop(timeout=_DRAIN_POLL_SECONDS, map=self._map, count=1)
                if not self._busy() or time.monotonic() >= deadline:
                    break
            left = self._busy()
            if left:
                LOG.warning("%d request(s) still in progress after %.0f s; closing", left, grace)
        finally:
            server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
            wasyncore.close_all(self._map)

    def _close_listeners(self) -> None:
        for dispatcher in list(self._map.values()):
            if isinstance(dispatcher, BaseWSGIServer):
                # The dispatcher's own close(), not the server's: that one also
                # closes the trigger that task threads use to wake this loop.
                wasyncore.dispatcher.close(dispatcher)

    def _busy(self) -> int:
        """How many connections have a request in progress, input unread or output to send."""
        return sum(
            1
            for channel in list(self._map.values())
            if isinstance(channel, HTTPChannel)
            and (
                channel.requests
                or channel.total_outbufs_len
                or channel.request is not None
                or _has_input(channel)
            )
        )


def _has_input(channel: HTTPChannel) -> bool:
    """Whether bytes wait unread in the channel's socket.

    waitress does not read from a connection while its last request is still
    being answered, so a request sent meanwhile may not have been read yet.
    """
    try:
        return bool(channel.socket.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except OSError:  # nothing to read (EAGAIN), or the socket is gone
        return False
