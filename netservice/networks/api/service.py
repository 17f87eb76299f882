"""The routes of a plugin built on ``netservice.networks``.

``NetworksAPIService``: ``networks``, ``vnics`` (+ ``/vnics/{id}/network_info``),
``ports`` and ``fixed_ips``, what every such plugin has (Flat's whole API).
``DhcpAPIService`` adds what the DHCP topologies with floating IPs have:
``/networks/{id}/leases``, ``floating_ips``, ``floating_ip_pools`` and
``floating_ips_bulk``.
"""

from __future__ import annotations

from netservice.core.api_service import APIService
from netservice.core.routemap import PluginRoutes
from netservice.networks.api.fixed_ips import FixedIpsController
from netservice.networks.api.floating_ips import (
    FloatingIpPoolsController,
    FloatingIpsBulkController,
    FloatingIpsController,
)
from netservice.networks.api.leases import LeasesController
from netservice.networks.api.networks import NetworksController
from netservice.networks.api.vnics import PortsController, VnicsController
from netservice.networks.dhcp import DhcpNetworks
from netservice.networks.floating import PluginFloatingIps
from netservice.networks.networks import Networks
from netservice.networks.policies import route_rules
from netservice.networks.vnics import Vnics


class NetworksAPIService(APIService):
    def __init__(self, networks: Networks, vnics: Vnics) -> None:
        self.networks = networks
        self.vnics = vnics

    def networks_controller(self) -> NetworksController:
        """The ``/networks`` controller; a topology with more to it returns a subclass."""
        return NetworksController(self.networks)

    def ports_controller(self) -> PortsController:
        """The ``/ports`` controller; a topology with more to it returns a subclass."""
        return PortsController(self.vnics)

    def network_rules(self) -> dict[str, str]:
        """The rule guarding each ``/networks`` action; a topology with more adds to it."""
        return route_rules(self.networks.topology.name, "networks")

    def register_routes(self, routes: PluginRoutes) -> None:
        plugin = self.networks.topology.name
        vnics = VnicsController(self.vnics)
        networks = self.networks_controller()
        routes.resource("networks", networks, rules=self.network_rules())
        vnic_rules = route_rules(plugin, "vnics")
        routes.resource("vnics", vnics, rules=vnic_rules)
        routes.connect("/vnics/{id}/network_info", vnics, "network_info", rule=vnic_rules["show"])
        routes.resource("ports", self.ports_controller(), rules=route_rules(plugin, "ports"))
        fixed = FixedIpsController(self.networks)
        routes.resource("fixed_ips", fixed, rules=route_rules(plugin, "fixed_ips"))


class DhcpAPIService(NetworksAPIService):
    def __init__(self, networks: DhcpNetworks, vnics: Vnics, floating: PluginFloatingIps) -> None:
        super().__init__(networks, vnics)
        self.dhcp_networks = networks
        self.floating = floating

    def register_routes(self, routes: PluginRoutes) -> None:
        super().register_routes(routes)
        plugin = self.networks.topology.name
        leases = LeasesController(self.dhcp_networks)
        routes.connect(
            "/networks/{network_id}/leases", leases, "index", rule=f"{plugin}:network:leases"
        )
        floating = FloatingIpsController(plugin, self.floating)
        routes.resource("floating_ips", floating, rules=route_rules(plugin, "floating_ips"))
        pools = FloatingIpPoolsController(plugin, self.floating.floating)
        routes.resource("floating_ip_pools", pools, rules=route_rules(plugin, "floating_ip_pools"))
        bulk = FloatingIpsBulkController(plugin, self.floating.floating)
        routes.resource("floating_ips_bulk", bulk, rules=route_rules(plugin, "floating_ips_bulk"))
        routes.connect(
            "/floating_ips_bulk/delete",
            bulk,
            "delete_range",
            ("PUT",),
            rule=f"{plugin}:floating_ip:delete",
        )
