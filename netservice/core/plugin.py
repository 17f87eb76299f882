"""The plugin: the object a ``netservice.plugins`` entry point loads.

A plugin author subclasses ``NetworkServicePlugin``, implements the three
getters, and registers the class under ``[options.entry_points]
netservice.plugins``.  The entry point's name is the plugin's name: its URL
prefix (``/v1.0/<name>/``), its config group ``[<name>]`` and the value
operators associate projects with.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from oslo_config import cfg
from oslo_policy import policy

if TYPE_CHECKING:
    from netservice.core.api_service import APIService
    from netservice.core.db.migration import MigrationBranch
    from netservice.core.db.session import Database
    from netservice.core.dhcp import DhcpLeaseHandler
    from netservice.core.net_agent import NetAgent
    from netservice.core.net_service import NetService
    from netservice.core.notify import ChangeNotifier
    from netservice.core.os_service import OSService
    from netservice.core.registry import Claim, Registry
    from netservice.core.serving import ProjectServices

GETTERS: tuple[str, ...] = ("get_os_service", "get_os_api_service", "get_net_agent")


@dataclasses.dataclass(frozen=True)
class PluginContext:
    """What the core hands a plugin when it creates it.

    New fields are only ever added, with defaults, so plugins written
    against an older core keep working.
    """

    name: str
    """The plugin's name (its entry point's name)."""
    config: Any
    """The plugin's own option group, ``conf[name]``, with CONFIG_OPTS registered."""
    database: Database
    """The shared database; the plugin's tables live beside the core's."""
    host: str
    """This host's name (``[DEFAULT] host``)."""
    state_path: str
    """Where the plugin may keep files (``[DEFAULT] state_path``)."""
    global_config: cfg.ConfigOpts | None = None
    """The whole configuration, for framework pieces such as ``[linux]``.

    Plugins read their own settings from ``config``, not from here.
    """
    notifier: ChangeNotifier | None = None
    """Publishes committed changes to net-services (``notify(session, name, network_id)``)."""
    registry: Registry | None = None
    """The deployment-wide registry (``netservice.core.registry``), on ``database``.

    Claim in it, in the same transaction as your own write, every address
    range, floating address, VPN endpoint, bridge, VLAN id or VNI another
    plugin could also want; release in the transaction that deletes.  Left
    None, the core fills it in, so it is always set on a built context.
    """

    def __post_init__(self) -> None:
        if self.registry is None:
            from netservice.core.registry import Registry  # noqa: PLC0415 - not at import

            object.__setattr__(self, "registry", Registry(self.database))

    projects: ProjectServices | None = None
    """Which service serves a project.  A plugin calls ``projects.claim(conn,
    project_id, name)`` in the write transaction that creates a project's
    resource, so a project is only ever given resources by its own service
    (``netservice.core.serving``).  None only in plugins built outside the core.
    """


class NetworkServicePlugin(abc.ABC):
    """One network service: Flat, FlatDHCP, VLAN, or a third-party one."""

    CONFIG_OPTS: ClassVar[Sequence[cfg.Opt]] = ()
    """Options registered by the core under ``[<plugin name>]`` before ``__init__``."""

    POLICY_RULES: ClassVar[Sequence[policy.RuleDefault]] = ()
    """Default policy rules, registered by the core.  Name them ``<plugin>:...``."""

    description: ClassVar[str] = ""
    """One line shown by ``GET /v1.0/network_services`` and ``service list``."""

    name: ClassVar[str | None] = None
    """Needed only by plugins listed by module path rather than entry point."""

    def __init__(self, context: PluginContext) -> None:
        """Called once per process at start-up; do no I/O beyond reading config."""
        self.context = context

    @abc.abstractmethod
    def get_os_service(self) -> OSService:
        """The compute-facing OS service.  Called often: return a cached object."""

    @abc.abstractmethod
    def get_os_api_service(self) -> APIService:
        """The REST management API.  Called once when the WSGI app is built."""

    @abc.abstractmethod
    def get_net_agent(self) -> NetAgent:
        """The net agent compute hosts call.  Called often: return a cached object."""

    # Optional parts.  Each has a default, so plugins need not know of them.

    def get_dhcp_lease_handler(self) -> DhcpLeaseHandler | None:
        """Callbacks for ``netservice-dhcpbridge``; None for plugins without DHCP."""
        return None

    def get_net_service(self) -> NetService | None:
        """The reconciler for the network host, or None when the plugin has none.

        Called once by ``netservice-network`` (and by ``netservice-api`` on the
        embedded default), which runs it in a thread.
        """
        return None

    def registry_claims(self) -> Sequence[Claim]:
        """Every registry claim the plugin's own tables say it holds, read now.

        Called by ``netservice-manage db sync`` (to backfill the registry of
        a deployment that ran an older version) and ``registry check`` (to
        report drift), never on a request path.  Read-only and idempotent.
        The default, for a plugin that holds nothing another could want, is
        no claims.
        """
        return ()

    def get_migrations(self) -> MigrationBranch | None:
        """The plugin's alembic branch, upgraded by ``netservice-manage db sync``.

        None for a plugin without tables.
        """
        return None


class AssembledPlugin(NetworkServicePlugin):
    """A plugin whose ``__init__`` builds its parts once and keeps them.

    A subclass sets ``_os``, ``_api`` and ``_agent`` in ``__init__``; the
    getters answer the core from them, so each is the cached object the
    contract asks for.
    """

    _os: OSService
    _api: APIService
    _agent: NetAgent

    def get_os_service(self) -> OSService:
        return self._os

    def get_os_api_service(self) -> APIService:
        return self._api

    def get_net_agent(self) -> NetAgent:
        return self._agent
