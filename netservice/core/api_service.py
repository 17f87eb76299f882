"""The API service: a plugin's REST management API."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netservice.core.routemap import PluginRoutes


class APIService(abc.ABC):
    """Declares a plugin's routes and controllers.

    The core mounts them under ``/v1.0/<plugin_name>/``; a plugin cannot reach
    outside that prefix.  Controllers subclass ``netservice.core.wsgi.Controller``
    and return plain dicts, which the core serialises to JSON or XML.
    """

    @abc.abstractmethod
    def register_routes(self, routes: PluginRoutes) -> None:
        """Add the plugin's routes, with paths relative to its prefix.

        Called once per process, when the WSGI application is built.  Raises
        ConfigurationError (from ``routes``) for a path that leaves the prefix.
        """
