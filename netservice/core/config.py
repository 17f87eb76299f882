"""Building the configuration object that every entry point hands down."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from importlib import metadata

from oslo_config import cfg
from oslo_log import log as oslo_log
from oslo_policy import opts as policy_opts

import netservice
from netservice.core import opts
from netservice.core.wsgi import health


def register_core_opts(conf: cfg.ConfigOpts) -> None:
    """Register the core's and the framework's options on ``conf``.

    The framework's come from the ``netservice.framework_opts`` entry points
    (the data plane's ``[linux]``), so the core does not import the data plane.

    oslo.log's include the command-line ``--debug``, ``--log-file``,
    ``--log-dir``, ``--use-journal`` and ``--use-json``.
    """
    oslo_log.register_options(conf)
    conf.register_cli_opt(opts.NETWORK_SERVICE_CONF)
    for group, group_opts in [*opts.list_opts(), *framework_opts()]:
        rest = [o for o in group_opts if o is not opts.NETWORK_SERVICE_CONF]
        conf.register_opts(rest, group=None if group == "DEFAULT" else group)
    policy_opts.set_defaults(conf, policy_file="policy.yaml")
    # /healthcheck asks the database unless the operator lists other backends.
    conf.set_default("backends", [health.BACKEND], group="healthcheck")


def framework_opts() -> list[tuple[str | None, list[cfg.Opt]]]:
    """The groups that installed framework parts declare, by entry point name."""
    found: list[tuple[str | None, list[cfg.Opt]]] = []
    for ep in sorted(metadata.entry_points(group=opts.FRAMEWORK_OPTS_NAMESPACE), key=str):
        found.extend(ep.load()())
    return found


def _hide_shell_completion(conf: cfg.ConfigOpts) -> None:
    """Drop oslo.config's ``--shell_completion``: its wheels lack the templates it
    reads, so it could only crash.  Asked for, it is an unknown argument (exit 2)."""
    conf.unregister_opt(cfg.ConfigOpts._shell_completion_opt)
    conf.supported_shell_completion = []


def load(
    argv: Sequence[str],
    *,
    prog: str,
    cli_opts: Sequence[cfg.Opt] = (),
    default_config_files: Sequence[str] | None = None,
) -> cfg.ConfigOpts:
    """Parse ``argv`` (without the program name) into a new ConfigOpts.

    Raises whatever oslo.config raises for bad options; the entry points turn
    that into a message and a non-zero exit.
    """
    conf = cfg.ConfigOpts()
    _hide_shell_completion(conf)
    register_core_opts(conf)
    conf.register_cli_opts(list(cli_opts))
    conf(
        list(argv),
        project="netservice",
        prog=prog,
        version=netservice.__version__,
        default_config_files=list(default_config_files)
        if default_config_files is not None
        else None,
    )
    _absolute_paths(conf)
    return conf


def _absolute_paths(conf: cfg.ConfigOpts) -> None:
    """Resolve relative paths once, at start-up, so every process agrees on them.

    A path set in a config file is taken from that file's directory; one
    from the command line or a default, from the current directory.  The
    processes the data plane starts (dnsmasq, and the netservice-dhcpbridge
    it runs) work in ``/`` and read the same config files, so a path taken
    from the current directory would point elsewhere for them.
    """
    for name in ("state_path", "network_service_conf"):
        value = conf[name]
        if not value or os.path.isabs(value):
            continue
        where = conf.get_location(name)
        base = os.getcwd()
        if where is not None and where.location == cfg.Locations.user:
            setter = _file_that_sets(conf, name)
            if setter is not None:
                base = os.path.dirname(os.path.abspath(setter))
        conf.set_override(name, os.path.normpath(os.path.join(base, value)))


def _config_files(conf: cfg.ConfigOpts) -> list[str]:
    """The files oslo.config read, in the order it read them (the last one wins)."""
    files = list(conf.config_file or [])
    dirs = conf.config_dir or []
    for directory in [dirs] if isinstance(dirs, str) else dirs:
        files += sorted(glob.glob(os.path.join(directory, "*.conf")))
    return files


def _file_that_sets(conf: cfg.ConfigOpts, name: str) -> str | None:
    """The last config file that sets ``[DEFAULT] name``.

    oslo.config's ``get_location`` names the last file it read, whichever
    file set the option, so with two ``--config-file`` a path from the first
    would be taken from the second's directory.
    """
    for path in reversed(_config_files(conf)):
        sections: dict[str, dict[str, list[str]]] = {}
        try:
            cfg.ConfigParser(path, sections).parse()
        except (OSError, cfg.ParseError):
            continue
        if name in sections.get("DEFAULT", {}):
            return path
    return None
