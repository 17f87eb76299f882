"""``netservice-api``: the REST API server, with the embedded default.

One process (waitress, ``[api] threads`` threads) when ``[api] workers`` is
1, as on the embedded SQLite default; otherwise gunicorn's pre-fork server
with that many worker processes (``netservice.core.wsgi.prefork``), each
with its own database pool.  Under another WSGI server, use
``netservice.wsgi.api`` instead.

SIGTERM or SIGINT stops it gracefully: new connections are refused, requests
in progress finish (up to ``[api] graceful_shutdown_timeout``), the embedded
net-services stop the dnsmasq processes they started, and it exits 0.

On the embedded default (SQLite) the schema is upgraded at start-up; on a
server database the schema must already be current (``netservice-manage db
sync``).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence

from oslo_config import cfg

import netservice
from netservice.core import bootstrap, config, exceptions
from netservice.core.api import loader
from netservice.core.net_service import NetServiceRunner
from netservice.core.stopping import stopping_on
from netservice.core.wsgi.server import GracefulServer
from netservice.linux import factory

LOG = logging.getLogger("netservice.api")

CLI_OPTS: list[cfg.Opt] = []  # oslo.log adds --debug, --log-file, ...


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error(err: BaseException) -> int:
    print(f"netservice-api: error: {err}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-api", cli_opts=CLI_OPTS
        )
        bootstrap.setup_logging(conf)
    except cfg.Error as err:
        return _error(err)
    if conf.api.workers and conf.api.workers > 1 and conf.api.embedded_net_services:
        return _error(
            exceptions.ConfigurationError(
                reason="[api] workers must be 1 with embedded_net_services = true: "
                "the net-services run once per host, not once per worker"
            )
        )
    multiproc_dir = None
    try:
        if conf.api.metrics and (conf.api.workers or 0) != 1:
            # Before prometheus_client is imported: every worker writes its
            # figures there and /metrics adds them up.
            multiproc_dir = _metrics_dir()
        loaded = loader.load(conf)
        workers = loader.default_workers(conf, loaded.manager.database.is_sqlite)
        runners = (
            bootstrap.net_service_runners(conf, loaded.manager)
            if conf.api.embedded_net_services
            else []
        )
        if runners:
            factory.start(conf)
    except (exceptions.NetserviceError, cfg.Error) as err:
        return _error(err)
    if conf.api.auth_strategy == "noauth" and not _is_loopback(conf.api.bind_host):
        LOG.warning(
            "auth_strategy is noauth but the API is bound to %s: anyone who can reach it "
            "can act as any project, admin included. Bind to 127.0.0.1 or use keystone.",
            conf.api.bind_host,
        )
    if runners:
        LOG.warning(
            "this API process also runs the net-services of %s for host %s "
            "([api] embedded_net_services = true): it serves their networks from here",
            ", ".join(runner.name for runner in runners),
            conf.host,
        )
    try:
        if workers > 1:
            return _serve_workers(conf, loaded, workers)
        return _serve_one(conf, loaded, runners)
    finally:
        loaded.close()
        if multiproc_dir is not None:
            multiproc_dir.cleanup()


def _metrics_dir() -> tempfile.TemporaryDirectory[str]:
    directory = tempfile.TemporaryDirectory(prefix="netservice-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory.name
    return directory


def _listening(host: str, port: int, loaded: loader.LoadedApi, how: str) -> None:
    LOG.info(
        "netservice-api %s listening on http://%s:%s (services: %s; %s)",
        netservice.__version__,
        host,
        port,
        ", ".join(loaded.manager.names()) or "none",
        how,
    )


def _serve_workers(conf: cfg.ConfigOpts, loaded: loader.LoadedApi, workers: int) -> int:
    # Only with several workers: gunicorn is imported by netservice-api alone.
    from netservice.core.wsgi import prefork  # noqa: PLC0415

    try:
        sock = prefork.listen(conf.api.bind_host, conf.api.bind_port)
    except exceptions.NetserviceError as err:
        return _error(err)
    _listening(
        conf.api.bind_host,
        sock.getsockname()[1],
        loaded,
        f"{workers} workers of {conf.api.threads} threads",
    )

    def _child_exit(pid: int) -> None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess  # noqa: PLC0415

            multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]

    server = prefork.PreforkServer(
        loaded.app,
        sock,
        workers=workers,
        threads=conf.api.threads,
        graceful_timeout=conf.api.graceful_shutdown_timeout,
        after_fork=loaded.manager.database.after_fork,
        child_exit=_child_exit,
    )
    # gunicorn owns the listening socket from here on, and closes it.
    sock.detach()
    status = server.serve()
    LOG.info("netservice-api stopped")
    return status


def _serve_one(
    conf: cfg.ConfigOpts, loaded: loader.LoadedApi, runners: list[NetServiceRunner]
) -> int:
    try:
        server = GracefulServer(
            loaded.app, host=conf.api.bind_host, port=conf.api.bind_port, threads=conf.api.threads
        )
    except exceptions.NetserviceError as err:
        return _error(err)
    stopping = stopping_on(signal.SIGTERM, signal.SIGINT)
    _listening(conf.api.bind_host, server.port, loaded, f"1 process of {conf.api.threads} threads")
    for runner in runners:
        runner.start()
    try:
        server.serve(
            stopping,
            conf.api.graceful_shutdown_timeout,
            on_stop=lambda: LOG.info(
                "%s: stopping (requests in progress may finish)", stopping.signal_name
            ),
        )
    finally:
        # Each net-service stops the dnsmasq processes it started.
        for runner in runners:
            runner.stop()
    LOG.info("netservice-api stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
