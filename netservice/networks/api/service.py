"""``NetworksAPIService``: the routes every plugin built on ``netservice.networks`` has."""

from __future__ import annotations

from netservice.core.api_service import APIService
from netservice.core.routemap import PluginRoutes
from netservice.networks.api.fixed_ips import FixedIpsController
from netservice.networks.api.networks import NetworksController
from netservice.networks.api.vnics import PortsController, VnicsController
from netservice.networks.networks import Networks
from netservice.networks.vnics import Vnics


class NetworksAPIService(APIService):
    """``networks``, ``vnics`` (+ ``/vnics/{id}/network_info``), ``ports``, ``fixed_ips``."""

    def __init__(self, networks: Networks, vnics: Vnics) -> None:
        self.networks = networks
        self.vnics = vnics

    def register_routes(self, routes: PluginRoutes) -> None:
        vnics = VnicsController(self.vnics)
        routes.resource("networks", NetworksController(self.networks))
        routes.resource("vnics", vnics)
        routes.connect("/vnics/{id}/network_info", vnics, "network_info")
        routes.resource("ports", PortsController(self.vnics))
        routes.resource("fixed_ips", FixedIpsController(self.networks))
