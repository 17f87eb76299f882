"""Start-up steps shared by every entry point: database, plugins, schema."""

from __future__ import annotations

import logging
import os

from oslo_config import cfg

from netservice.core import exceptions, notify
from netservice.core.db import migration
from netservice.core.db.migration import MigrationBranch
from netservice.core.db.session import Database
from netservice.core.manager import NetworkServiceManager
from netservice.core.net_service import NetServiceRunner

LOG = logging.getLogger(__name__)


def setup_logging(conf: cfg.ConfigOpts, level: int = logging.INFO) -> None:
    """Log to stderr; ``--debug`` lowers the level to DEBUG."""
    logging.basicConfig(
        level=logging.DEBUG if conf.debug else level,
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
    )


def open_services(conf: cfg.ConfigOpts) -> NetworkServiceManager:
    """The database and the loaded plugins.  Raises ConfigurationError on bad config."""
    try:
        database = Database(conf.database.connection)
    except Exception as err:
        raise exceptions.ConfigurationError(
            reason=f"[database] connection: {type(err).__name__}: {err}"
        ) from err
    return NetworkServiceManager.load(conf, database, notify.for_engine(database.engine))


def prepare_dataplane(conf: cfg.ConfigOpts) -> None:
    """Dry-run without root; create the sandbox namespace with it (``[linux] namespace``)."""
    from netservice.linux import factory  # noqa: PLC0415 - only daemons load the data plane

    mode = factory.prepare(conf.linux, conf)
    if mode == "dry-run":
        LOG.warning(
            "the data plane runs dry: it prints the netlink, nft and dnsmasq changes it "
            "would make (%s)",
            "not root" if os.geteuid() != 0 else "[linux] dry_run",
        )
    elif mode == "sandbox":
        LOG.info("the data plane works in network namespace %s", conf.linux.namespace)


def net_service_runners(
    conf: cfg.ConfigOpts, manager: NetworkServiceManager
) -> list[NetServiceRunner]:
    """One runner per loaded plugin that has a net-service (not started)."""
    assert manager.notifier is not None  # open_services always sets one
    runners = []
    for name, plugin in manager:
        service = plugin.get_net_service()
        if service is not None:
            runners.append(
                NetServiceRunner(
                    name, service, manager.notifier, resync_interval=conf.resync_interval
                )
            )
    return runners


def branches(manager: NetworkServiceManager) -> list[MigrationBranch]:
    """The core branch first, then each loaded plugin's, by name."""
    found = [migration.CORE_BRANCH]
    for _, plugin in manager:
        branch = plugin.get_migrations()
        # One plugin class may be loaded under two names; upgrade it once.
        if branch is not None and branch not in found:
            found.append(branch)
    return found


def sync_schema(manager: NetworkServiceManager) -> list[str]:
    """Upgrade every branch to its head; returns the branch names.  Idempotent."""
    done = []
    for branch in branches(manager):
        migration.upgrade(manager.database, branch)
        done.append(branch.name)
    return done


def check_schema(manager: NetworkServiceManager) -> None:
    """Raise ConfigurationError when a branch has unapplied revisions."""
    behind = [b.name for b in branches(manager) if migration.pending(manager.database, b)]
    if behind:
        raise exceptions.ConfigurationError(
            reason=f"the database schema is behind for {', '.join(behind)}: "
            "run 'netservice-manage db sync'"
        )
