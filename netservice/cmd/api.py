"""``netservice-api``: the REST API server (waitress), with the embedded default.

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
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from oslo_config import cfg

import netservice
from netservice.core import bootstrap, config, exceptions
from netservice.core.api.router import build_app
from netservice.core.wsgi.server import GracefulServer

LOG = logging.getLogger("netservice.api")

CLI_OPTS: list[cfg.Opt] = []  # oslo.log adds --debug, --log-file, ...


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-api", cli_opts=CLI_OPTS
        )
        bootstrap.setup_logging(conf)
        manager = bootstrap.open_services(conf)
        bootstrap.check_policy_file(conf)
        if manager.database.is_sqlite and conf.database.sync_on_start:
            bootstrap.sync_schema(manager)
        else:
            bootstrap.check_schema(manager)
        app = build_app(conf, manager)
        host, port = conf.api.bind_host, conf.api.bind_port
        runners = (
            bootstrap.net_service_runners(conf, manager) if conf.api.embedded_net_services else []
        )
        if runners:
            bootstrap.prepare_dataplane(conf)
    except (exceptions.NetserviceError, cfg.Error) as err:
        print(f"netservice-api: error: {err}", file=sys.stderr)
        return 1
    if conf.api.auth_strategy == "noauth" and not _is_loopback(host):
        LOG.warning(
            "auth_strategy is noauth but the API is bound to %s: anyone who can reach it "
            "can act as any project, admin included. Bind to 127.0.0.1 or use keystone.",
            host,
        )
    try:
        server = GracefulServer(app, host=host, port=port, threads=conf.api.threads)
    except exceptions.NetserviceError as err:
        print(f"netservice-api: error: {err}", file=sys.stderr)
        manager.database.dispose()
        return 1
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        if not stopping.is_set():
            LOG.info("%s: stopping (requests in progress may finish)", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    LOG.info(
        "netservice-api %s listening on http://%s:%s (services: %s)",
        netservice.__version__,
        host,
        server.port,
        ", ".join(manager.names()) or "none",
    )
    for runner in runners:
        runner.start()
    try:
        server.serve(stopping, conf.api.graceful_shutdown_timeout)
    finally:
        # Each net-service stops the dnsmasq processes it started.
        for runner in runners:
            runner.stop()
        if manager.notifier is not None:
            manager.notifier.close()
        manager.database.dispose()
    LOG.info("netservice-api stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
