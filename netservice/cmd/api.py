"""``netservice-api``: the REST API server (waitress), with the embedded default.

On the embedded default (SQLite) the schema is upgraded at start-up; on a
server database the schema must already be current (``netservice-manage db
sync``).
"""

from __future__ import annotations

import ipaddress
import logging
import sys
from collections.abc import Sequence

import waitress
from oslo_config import cfg

from netservice.core import bootstrap, config, exceptions
from netservice.core.api.router import build_app

LOG = logging.getLogger("netservice.api")

CLI_OPTS = [cfg.BoolOpt("debug", short="d", default=False, help="Log at debug level.")]


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
    server = waitress.create_server(
        app, host=host, port=port, threads=conf.api.threads, ident="netservice"
    )
    LOG.info(
        "netservice-api listening on http://%s:%s (services: %s)",
        host,
        server.effective_port,
        ", ".join(manager.names()) or "none",
    )
    for runner in runners:
        runner.start()
    try:
        server.run()
    except KeyboardInterrupt:
        LOG.info("netservice-api stopping")
    finally:
        server.close()
        for runner in runners:
            runner.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
