"""``netservice-network``: the plugins' net-services on a network host.

Each loaded plugin that has a net-service gets a reconciler thread, woken by
change notifications (PostgreSQL LISTEN/NOTIFY across hosts) and by a full
resync every ``resync_interval`` seconds.  SIGTERM or SIGINT stops it: the
dnsmasq processes it started stop with it, and the kernel state (bridges,
addresses, nftables rules) stays; the next start converges from there.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence

from oslo_config import cfg

from netservice.core import bootstrap, config, exceptions
from netservice.core.stopping import stopping_on
from netservice.linux import factory

LOG = logging.getLogger("netservice.network")

CLI_OPTS: list[cfg.Opt] = []  # oslo.log adds --debug, --log-file, ...


def main(argv: Sequence[str] | None = None) -> int:
    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-network", cli_opts=CLI_OPTS
        )
        bootstrap.setup_logging(conf)
        manager = bootstrap.open_services(conf)
        bootstrap.check_schema(manager)
        runners = bootstrap.net_service_runners(conf, manager)
        factory.start(conf)
    except (exceptions.NetserviceError, cfg.Error) as err:
        print(f"netservice-network: error: {err}", file=sys.stderr)
        return 1
    if not runners:
        print(
            "netservice-network: error: no loaded network service has a net-service",
            file=sys.stderr,
        )
        return 1
    stopping = stopping_on(signal.SIGTERM, signal.SIGINT)
    for runner in runners:
        runner.start()
    LOG.info("netservice-network on %s running: %s", conf.host, ", ".join(r.name for r in runners))
    stopping.wait()
    LOG.info("%s: stopping", stopping.signal_name)
    for runner in runners:
        runner.stop()
    if manager.notifier is not None:
        manager.notifier.close()
    manager.database.dispose()
    LOG.info("netservice-network stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
