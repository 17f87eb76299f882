"""``Tool``: the ``main()`` of a plugin's ``-manage`` console script.

It reads ``--config-file`` like ``netservice-manage``, builds the plugin on
``[database] connection`` with its option group registered, and runs one
command through the plugin's service layer.  Errors print one line to
stderr and exit 1; usage errors, and an unknown address for ``fixed``,
exit 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from oslo_config import cfg

from netservice.core import bootstrap, cli, config, exceptions, notify
from netservice.core.db import migration
from netservice.core.db.migration import MigrationBranch
from netservice.core.db.session import Database
from netservice.core.plugin import NetworkServicePlugin, PluginContext
from netservice.core.serving import ProjectServices
from netservice.networks.domain import Network
from netservice.networks.manage import args as manage_args
from netservice.networks.manage import commands
from netservice.networks.manage.commands import Handler


@dataclasses.dataclass(frozen=True)
class Tool:
    """One plugin's management tool.

    ``plugin`` builds the plugin from its context (usually its class).
    ``add_parsers`` and ``handlers`` add commands beyond ``network`` and
    ``fixed``; a handler is keyed ``"<command> <action>"``.
    """

    prog: str
    group: str
    options: Sequence[cfg.Opt]
    branch: MigrationBranch
    plugin: Callable[[PluginContext], Any]
    add_parsers: Callable[[Any], None] | None = None
    handlers: Mapping[str, Handler] = dataclasses.field(default_factory=dict)
    addressed: bool = True
    """False for a plugin without IPAM: no built-in ``network``/``fixed`` commands,
    only its own ``add_parsers`` and ``handlers``."""
    declaration: type[Network] = Network
    """The plugin's networks' fields (its ``Topology.declaration``): ``network
    create`` takes the ones a request may set."""

    @classmethod
    def for_plugin(
        cls,
        plugin: type[NetworkServicePlugin],
        branch: MigrationBranch,
        *,
        add_parsers: Callable[[Any], None] | None = None,
        handlers: Mapping[str, Handler] | None = None,
    ) -> Tool:
        """``netservice-<name>-manage`` for ``plugin``: its name is its option group."""
        name = plugin.name
        if not name:
            raise TypeError(f"{plugin.__qualname__} has no name")
        return cls(
            prog=f"netservice-{name.replace('_', '-')}-manage",
            group=name,
            options=plugin.CONFIG_OPTS,
            branch=branch,
            plugin=plugin,
            add_parsers=add_parsers,
            handlers=handlers or {},
        )

    def _parsers(self, subparsers: Any) -> None:
        if self.addressed:
            manage_args.add_network_parsers(subparsers, self.group, self.declaration)
        if self.add_parsers is not None:
            self.add_parsers(subparsers)

    def cli_opts(self) -> list[cfg.Opt]:
        # oslo.log's options (--debug, --log-file, ...) are registered by config.load.
        return [
            cfg.SubCommandOpt("command", title="commands", handler=self._parsers),
        ]

    def load_plugin(self, conf: cfg.ConfigOpts) -> Any:
        """The plugin on ``[database] connection``, its schema current.

        On SQLite with ``sync_on_start`` the core's branch and the plugin's
        are upgraded (the service layer also writes the core's
        ``network_statuses``); a server database must already be
        (``netservice-manage db sync``).
        """
        conf.register_opts(list(self.options), group=self.group)
        try:
            database = Database(conf.database.connection)
        except Exception as err:
            raise exceptions.ConfigurationError(
                reason=f"[database] connection: {type(err).__name__}: {err}"
            ) from err
        bootstrap.wait_for_database(
            database,
            retries=conf.database.connect_retries,
            interval=conf.database.connect_retry_interval,
        )
        branches = [migration.CORE_BRANCH, self.branch]
        if database.is_sqlite and conf.database.sync_on_start:
            for branch in branches:
                migration.upgrade(database, branch)
        else:
            behind = [b.name for b in branches if migration.pending(database, b)]
            if behind:
                raise exceptions.ConfigurationError(
                    reason=f"the database schema is behind for {', '.join(behind)}: "
                    "run 'netservice-manage db sync'"
                )
        context = PluginContext(
            name=self.group,
            config=conf[self.group],
            database=database,
            host=conf.host,
            state_path=conf.state_path,
            global_config=conf,
            # Reaches net-services on other hosts through PostgreSQL; elsewhere
            # their periodic resync picks the change up.
            notifier=notify.for_engine(database.engine),
            projects=ProjectServices(conf.default_network_service),
        )
        return self.plugin(context)

    @cli.closed_pipe_is_quiet
    def main(self, argv: Sequence[str] | None = None) -> int:
        try:
            conf = config.load(
                sys.argv[1:] if argv is None else argv, prog=self.prog, cli_opts=self.cli_opts()
            )
        except (cfg.Error, argparse.ArgumentError) as err:
            print(f"{self.prog}: error: {err}", file=sys.stderr)
            return 2
        bootstrap.setup_logging(conf, logging.WARNING)
        args = conf.command
        handler = {**commands.HANDLERS, **self.handlers}[f"{args.name} {args.action}"]
        try:
            plugin = self.load_plugin(conf)
            try:
                status = handler(args, plugin, self.prog)
            finally:
                plugin.context.database.dispose()
        except BrokenPipeError:
            raise  # a closed stdout: cli.closed_pipe_is_quiet ends quietly
        except Exception as err:  # one line, never a traceback
            print(f"{self.prog}: error: {bootstrap.describe_failure(err)}", file=sys.stderr)
            return 1
        return status or 0
