"""The smallest plugin the loader accepts: no options, no policy rules, no tables.

Listed by its bare module path (``netservice_testplugin.minimal``), which
the loader resolves to the one plugin class below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NoReturn

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.context import RequestContext
from netservice.core.net_agent import NetAgent
from netservice.core.network_info import NetworkInfo
from netservice.core.os_service import OSService
from netservice.core.plugin import NetworkServicePlugin
from netservice.core.routemap import PluginRoutes


class NoRoutes(APIService):
    def register_routes(self, routes: PluginRoutes) -> None:
        return None


class NoVnics(OSService):
    def get_default_vnic_id(self, context: RequestContext) -> str:
        raise exceptions.NotFound()

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        return None, None

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        return {}


class NoAgent(NetAgent):
    """Every VNIC is unknown: the service has none."""

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self._missing(vnic_id)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self._missing(vnic_id)

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        return None

    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        self._missing(vnic_id)

    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        self._missing(vnic_id)

    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        self._missing(vnic_id)

    @staticmethod
    def _missing(vnic_id: str) -> NoReturn:
        raise exceptions.VnicNotFound(vnic_id=vnic_id)


class MinimalPlugin(NetworkServicePlugin):
    name = "minimal"
    description = "Loads with nothing but the three getters"

    def get_os_service(self) -> OSService:
        return NoVnics()

    def get_os_api_service(self) -> APIService:
        return NoRoutes()

    def get_net_agent(self) -> NetAgent:
        return NoAgent()
