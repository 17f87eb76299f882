"""NetworkServiceManager: loads the configured plugins once and finds them again.

The service list (``--network_service_conf``) holds one entry per line, in
one of three forms:

- an entry point name in ``netservice.plugins`` (``flat``);
- a Python path to the class, ``package.module:Class`` (or
  ``package.module.Class``);
- a bare module path (``netservice_flat.plugin``), as seed 003's list of
  module paths: the module's ``plugin`` attribute, else the one concrete
  NetworkServicePlugin subclass it exposes.

A plugin listed by path names itself with its class attribute ``name``.
Any bad entry stops start-up with one message naming it.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import logging
import os
import re
import types
from collections.abc import Iterator
from typing import Any

from oslo_config import cfg
from stevedore import driver
from stevedore import exception as stevedore_exc

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.db import api as db_api
from netservice.core.db.session import Database
from netservice.core.net_agent import NetAgent
from netservice.core.notify import ChangeNotifier
from netservice.core.os_service import OSService
from netservice.core.plugin import GETTERS, NetworkServicePlugin, PluginContext
from netservice.core.serving import ProjectServices

LOG = logging.getLogger(__name__)

NAMESPACE = "netservice.plugins"
_ENTRY_POINT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_GETTER_TYPES: dict[str, type] = {
    "get_os_service": OSService,
    "get_os_api_service": APIService,
    "get_net_agent": NetAgent,
}


@dataclasses.dataclass(frozen=True)
class ServiceEntry:
    """One line of the service list."""

    text: str
    line: int


def read_service_list(path: str) -> list[ServiceEntry]:
    """The entries of the service list; blank lines and ``#`` comments skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError as err:
        raise exceptions.ConfigurationError(
            reason=f"network_service_conf: {path} does not exist"
        ) from err
    except OSError as err:
        raise exceptions.ConfigurationError(
            reason=f"network_service_conf: cannot read {path}: {err.strerror}"
        ) from err
    entries = []
    for number, raw in enumerate(lines, start=1):
        text = raw.split("#", 1)[0].strip()
        if text:
            entries.append(ServiceEntry(text=text, line=number))
    return entries


class NetworkServiceManager:
    """The loaded plugins, by name, and the project → plugin lookup."""

    def __init__(
        self,
        plugins: dict[str, NetworkServicePlugin],
        default_service: str,
        database: Database,
        notifier: ChangeNotifier | None = None,
    ) -> None:
        self._plugins = dict(plugins)
        self.default_service = default_service
        self.database = database
        self.notifier = notifier
        self.projects = ProjectServices(default_service)

    @classmethod
    def load(
        cls,
        conf: cfg.ConfigOpts,
        database: Database,
        notifier: ChangeNotifier | None = None,
    ) -> NetworkServiceManager:
        """Read the service list once and load every entry.

        Raises PluginLoadError or ConfigurationError, naming the bad entry,
        for: a missing file, an unknown name, a module that does not import,
        a plugin missing a getter, a duplicate name, and a default service
        that is not loaded (when any is).  With no entry at all it logs a
        warning and serves only the core API.
        """
        path = os.path.abspath(conf.network_service_conf)
        plugins: dict[str, NetworkServicePlugin] = {}
        origins: dict[str, ServiceEntry] = {}
        for entry in read_service_list(path):
            name, plugin_cls = _resolve(entry, path)
            if name in plugins:
                raise exceptions.PluginLoadError(
                    entry=entry.text,
                    conf=f"{path}:{entry.line}",
                    reason=f"duplicate network service name '{name}' "
                    f"(already loaded from line {origins[name].line})",
                )
            plugins[name] = _instantiate(
                conf, database, plugin_cls, name=name, entry=entry, path=path, notifier=notifier
            )
            origins[name] = entry
        if not plugins:
            LOG.warning("no network service is loaded: %s lists none", path)
        elif conf.default_network_service not in plugins:
            raise exceptions.ConfigurationError(
                reason=f"default_network_service '{conf.default_network_service}' is not "
                f"among the loaded network services: {', '.join(sorted(plugins))}"
            )
        LOG.info("loaded network services: %s", ", ".join(sorted(plugins)) or "none")
        return cls(plugins, conf.default_network_service, database, notifier)

    def names(self) -> list[str]:
        return sorted(self._plugins)

    def __iter__(self) -> Iterator[tuple[str, NetworkServicePlugin]]:
        return iter(sorted(self._plugins.items()))

    def get(self, name: str) -> NetworkServicePlugin:
        """The plugin called ``name``; NetworkServiceNotFound names the loaded ones."""
        try:
            return self._plugins[name]
        except KeyError:
            raise exceptions.NetworkServiceNotFound(
                name=name, loaded=", ".join(self.names()) or "none"
            ) from None

    def service_name_for_project(self, project_id: str) -> tuple[str, bool]:
        """``(service name, is_default)`` for the project."""
        associated = db_api.get_project_service(self.database, project_id)
        if associated is None:
            return self.default_service, True
        return associated, False

    def for_project(self, project_id: str) -> NetworkServicePlugin:
        """The plugin serving the project: its association, else the default."""
        name, _ = self.service_name_for_project(project_id)
        return self.get(name)


def plugin_classes(path: str) -> dict[str, type[Any]]:
    """The plugin classes the service list at ``path`` names, by name, not created.

    Raises as ``NetworkServiceManager.load`` does for a bad entry.
    """
    found: dict[str, type[Any]] = {}
    for entry in read_service_list(path):
        name, plugin_cls = _resolve(entry, path)
        found.setdefault(name, plugin_cls)
    return found


def _resolve(entry: ServiceEntry, path: str) -> tuple[str, type[Any]]:
    """``(name, class)`` for one entry, in any of the three forms.

    An identifier is an entry point name, or else a top-level module; a
    ``module:attr`` is that attribute; a dotted path is a module when one of
    that name exists, else ``module.attr``.
    """
    where = f"{path}:{entry.line}"
    text = entry.text
    if ":" not in text and _ENTRY_POINT_NAME.match(text):
        found = _load_entry_point(entry, where)
        if found is not None:
            return text, found
        if not _module_exists(text):
            raise exceptions.PluginLoadError(
                entry=text,
                conf=where,
                reason=f"no entry point of that name in the '{NAMESPACE}' namespace "
                "(is its distribution installed?)",
            )
    plugin_cls = _load_python_path(text, where)
    return _declared_name(plugin_cls, text, where), plugin_cls


def _declared_name(plugin_cls: type[Any], text: str, where: str) -> str:
    name = getattr(plugin_cls, "name", None)
    if not isinstance(name, str) or not _ENTRY_POINT_NAME.match(name):
        raise exceptions.PluginLoadError(
            entry=text,
            conf=where,
            reason="a plugin listed by Python path must set a class attribute 'name' "
            "(letters, digits, '_' and '-')",
        )
    return name


def _load_entry_point(entry: ServiceEntry, where: str) -> type[Any] | None:
    """The class behind the entry point; None when there is no entry point of that name."""

    def _failed(_manager: Any, entrypoint: Any, err: BaseException) -> None:
        raise exceptions.PluginLoadError(
            entry=entry.text,
            conf=where,
            reason=f"entry point {entrypoint.value} does not import: {type(err).__name__}: {err}",
        ) from err

    try:
        manager: driver.DriverManager[Any] = driver.DriverManager(
            NAMESPACE, entry.text, invoke_on_load=False, on_load_failure_callback=_failed
        )
    except stevedore_exc.NoMatches:
        return None
    plugin: type[Any] = manager.driver  # type: ignore[assignment]  # a class, not a callable
    return plugin


def _module_exists(name: str) -> bool:
    """Whether ``name`` names an importable module (its parents are imported to tell)."""
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:  # a parent that is a module, or that fails to import
        return False


def _load_python_path(text: str, where: str) -> type[Any]:
    """The class named by ``module:attr``, ``module.attr`` or a bare module path."""
    module_name, sep, attr = text.partition(":")
    if not sep:
        if _module_exists(text):
            return _only_plugin_in(_import(text, text, where), text, where)
        module_name, _, attr = text.rpartition(".")
    if not module_name or not attr:
        raise exceptions.PluginLoadError(
            entry=text,
            conf=where,
            reason="not an entry point name, a module path or a Python path "
            "'package.module:Class'",
        )
    module = _import(module_name, text, where)
    try:
        plugin: type[Any] = getattr(module, attr)
    except AttributeError as err:
        raise exceptions.PluginLoadError(
            entry=text, conf=where, reason=f"module {module_name} has no attribute {attr}"
        ) from err
    return plugin


def _import(module_name: str, text: str, where: str) -> types.ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as err:
        raise exceptions.PluginLoadError(
            entry=text,
            conf=where,
            reason=f"module {module_name} does not import: {type(err).__name__}: {err}",
        ) from err


def _only_plugin_in(module: types.ModuleType, text: str, where: str) -> type[Any]:
    """The module's ``plugin`` attribute, else its one concrete plugin class."""
    declared = getattr(module, "plugin", None)
    if declared is not None:
        if not isinstance(declared, type):
            raise exceptions.PluginLoadError(
                entry=text,
                conf=where,
                reason=f"{module.__name__}.plugin is a {type(declared).__name__}, not a class",
            )
        return declared
    concrete = {
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, NetworkServicePlugin)
        and not inspect.isabstract(value)
    }
    # A base class the module imports (a framework's assembly) is not its plugin.
    own = {cls for cls in concrete if cls.__module__ == module.__name__}
    found = sorted(own or concrete, key=lambda cls: cls.__qualname__)
    if len(found) != 1:
        names = ", ".join(cls.__qualname__ for cls in found)
        raise exceptions.PluginLoadError(
            entry=text,
            conf=where,
            reason=f"module {module.__name__} exposes {len(found)} plugin classes"
            + (f" ({names})" if found else "")
            + ", not one: name the class as 'module:Class' or set a 'plugin' attribute",
        )
    return found[0]


def name_for(manager: NetworkServiceManager, text: str) -> str:
    """The loaded service that ``text`` names: a name, or a plugin's module or class path.

    nova-manage took a module path where netservice-manage takes a name; a
    path is resolved to its class and then to the name it is loaded under.
    ``text`` itself is returned when it names no loaded plugin, for the
    caller to refuse naming the loaded ones.  Raises PluginLoadError when a
    path does not import.
    """
    if text in manager.names() or (":" not in text and "." not in text):
        return text
    plugin_cls = _load_python_path(text, "the command line")
    loaded = [name for name, plugin in manager if type(plugin) is plugin_cls]
    declared = getattr(plugin_cls, "name", None)
    if declared in loaded:
        return str(declared)
    return loaded[0] if loaded else text


def _instantiate(
    conf: cfg.ConfigOpts,
    database: Database,
    plugin_cls: type[Any],
    *,
    name: str,
    entry: ServiceEntry,
    path: str,
    notifier: ChangeNotifier | None,
) -> NetworkServicePlugin:
    where = f"{path}:{entry.line}"
    missing = [f"{g}()" for g in GETTERS if not _provides(plugin_cls, g)]
    if missing:
        raise exceptions.PluginLoadError(
            entry=entry.text,
            conf=where,
            reason=f"{_qualname(plugin_cls)} does not provide {', '.join(missing)}",
        )
    if not (isinstance(plugin_cls, type) and issubclass(plugin_cls, NetworkServicePlugin)):
        raise exceptions.PluginLoadError(
            entry=entry.text,
            conf=where,
            reason=f"{_qualname(plugin_cls)} is not a netservice.core.plugin.NetworkServicePlugin",
        )
    # The group exists even for a plugin without options: conf[name] is its config.
    conf.register_group(cfg.OptGroup(name))
    conf.register_opts(list(plugin_cls.CONFIG_OPTS), group=name)
    context = PluginContext(
        name=name,
        config=conf[name],
        database=database,
        host=conf.host,
        state_path=conf.state_path,
        global_config=conf,
        notifier=notifier,
        projects=ProjectServices(conf.default_network_service),
    )
    try:
        plugin = plugin_cls(context)
        for getter, expected in _GETTER_TYPES.items():
            part = getattr(plugin, getter)()
            if not isinstance(part, expected):
                raise TypeError(
                    f"{getter}() returned {type(part).__name__}, not a {expected.__name__}"
                )
    except exceptions.NetserviceError:
        raise
    except Exception as err:
        LOG.exception("network service %s failed to start", name)
        raise exceptions.PluginLoadError(
            entry=entry.text, conf=where, reason=f"{type(err).__name__}: {err}"
        ) from err
    return plugin


def _provides(plugin_cls: Any, getter: str) -> bool:
    attr = getattr(plugin_cls, getter, None)
    return callable(attr) and not getattr(attr, "__isabstractmethod__", False)


def _qualname(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"
