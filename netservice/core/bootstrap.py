"""Start-up steps shared by every entry point: database, plugins, schema.

Misconfiguration stops start-up here with one line naming the option,
rather than as 500s on every later request: a database that cannot be
reached (after a visible countdown of retries) and a policy file that does
not parse.  (``keystone`` without ``[keystone_authtoken]`` is refused where
its middleware is built, ``netservice.core.wsgi.auth``.)
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TextIO

import sqlalchemy as sa
from oslo_config import cfg
from oslo_log import log as oslo_log
from oslo_policy import policy as oslo_policy

from netservice.core import exceptions, notify
from netservice.core.db import migration
from netservice.core.db.migration import MigrationBranch
from netservice.core.db.session import Database
from netservice.core.manager import NetworkServiceManager
from netservice.core.net_service import NetServiceRunner

LOG = logging.getLogger(__name__)


def setup_logging(conf: cfg.ConfigOpts, level: int = logging.INFO) -> None:
    """oslo.log as configured: ``--log-file``/``--log-dir``, ``use_journal``, ``use_json``.

    Without a log file, journal or syslog the lines go to stderr (never to
    stdout, where the tools print their answers).  ``level`` is the least a
    program logs without ``--debug`` (the CLIs: warnings only).  A line
    logged while a request is served carries its request id, global request
    id, user and project (oslo.log's context format).
    """
    conf.set_default(
        "use_stderr", not (conf.log_file or conf.log_dir or conf.use_journal or conf.use_syslog)
    )
    oslo_log.setup(conf, "netservice")
    if not conf.debug:
        logging.getLogger().setLevel(level)


def open_services(conf: cfg.ConfigOpts, *, wait: bool = True) -> NetworkServiceManager:
    """The database and the loaded plugins.  Raises ConfigurationError on bad config.

    Unless the agents go through the REST API (``[agent] api_url``), a
    database that does not answer is retried ``[database] connect_retries``
    times, ``connect_retry_interval`` seconds apart, each wait announced on
    stderr; then ConfigurationError.  ``wait=False`` skips that for tools that
    need no connection (``db history``, ``db upgrade --sql``).
    """
    try:
        database = Database(conf.database.connection)
    except Exception as err:
        raise exceptions.ConfigurationError(
            reason=f"[database] connection: {type(err).__name__}: {err}"
        ) from err
    if wait and not conf.agent.api_url:
        # A compute host whose agents go through the REST API ([agent]
        # api_url) has no database to wait for.
        wait_for_database(
            database,
            retries=conf.database.connect_retries,
            interval=conf.database.connect_retry_interval,
        )
    return NetworkServiceManager.load(conf, database, notify.for_engine(database.engine))


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "orig", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def wait_for_database(
    database: Database,
    *,
    retries: int,
    interval: float,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once ``SELECT 1`` works; raise ConfigurationError after ``retries`` more tries."""
    where = database.url.render_as_string(hide_password=True)
    for attempt in range(retries + 1):
        try:
            with database.autocommit_connection() as conn:
                conn.execute(sa.text("SELECT 1"))
            return
        except (sa.exc.SQLAlchemyError, exceptions.DatabaseUnavailable) as err:
            reason = _first_line(err)
            if attempt == retries:
                raise exceptions.ConfigurationError(
                    reason=f"[database] connection: cannot connect to {where} after "
                    f"{retries + 1} attempt(s): {reason}"
                ) from err
        print(
            f"cannot connect to the database ([database] connection {where}): {reason}; "
            f"retrying in {interval:g} s ({retries - attempt} attempt(s) left)",
            file=out or sys.stderr,
            flush=True,
        )
        sleep(interval)


def describe_failure(err: BaseException) -> str:
    """One line for a command-line tool to print instead of a traceback.

    Domain errors are shown as they are; a database error or anything
    unexpected is named with its first line and logged (with the traceback,
    at debug level: ``--debug`` shows it).
    """
    if isinstance(err, exceptions.NetserviceError | cfg.Error):
        return str(err)
    LOG.debug("command failed", exc_info=err)
    if isinstance(err, sa.exc.SQLAlchemyError):
        return f"database error: {_first_line(err)} (--debug shows the traceback)"
    return f"unexpected {type(err).__name__}: {_first_line(err)} (--debug shows the traceback)"


def check_policy_file(conf: cfg.ConfigOpts) -> None:
    """Raise ConfigurationError when ``[oslo_policy] policy_file`` exists but does not parse.

    oslo.policy reads the file on the first check, so without this a typo
    becomes a 500 on every request instead of a refusal to start.
    """
    enforcer = oslo_policy.Enforcer(conf)
    try:
        enforcer.load_rules(force_reload=True)
    except Exception as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise exceptions.ConfigurationError(
            reason=f"[oslo_policy] policy_file {conf.oslo_policy.policy_file}: "
            f"does not parse: {first}"
        ) from err


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
