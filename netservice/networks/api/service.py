"""The routes of a plugin built on ``netservice.networks``, assembled from route sets.

``NetworksAPIService`` registers what every such plugin has (Flat's whole
API): ``networks``, ``vnics`` (+ ``/vnics/{id}/network_info``), ``ports``
and ``fixed_ips``, then each ``RouteSet`` it is given, in order.  The sets
here are the DHCP topologies' ``/networks/{id}/leases`` (``LeaseRoutes``)
and the floating IPs' ``floating_ips``, ``floating_ip_pools`` and
``floating_ips_bulk`` (``FloatingRoutes``); ``dhcp_api`` puts them
together for FlatDHCP, and VLAN adds its own (``netservice_vlan.api``).
A topology with more actions on ``/networks`` or ``/ports`` hands its own
controllers and rules; nothing is subclassed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypedDict, Unpack

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


class RouteSet(Protocol):
    """More routes of one plugin, registered after the common ones.

    ``register`` is called once, at start-up, before any request; it
    connects controllers under the plugin's prefix, each route with the
    policy rule that guards it (``tests/unit/core/api/test_router.py``
    requires a documented rule for every route).
    """

    def register(self, routes: PluginRoutes, plugin: str) -> None:
        """Connect this set's routes."""
        ...


class Controllers(TypedDict, total=False):
    """What a topology may hand ``NetworksAPIService`` in place of the common parts."""

    networks_controller: NetworksController | None
    ports_controller: PortsController | None
    network_rules: Mapping[str, str] | None


class NetworksAPIService(APIService):
    """``networks``, ``vnics``, ``ports`` and ``fixed_ips``, then ``more`` route sets.

    ``networks_controller`` and ``ports_controller`` replace the common
    ones (VLAN's add the associate and VPN actions); ``network_rules`` adds
    to, or replaces, the rule of each ``/networks`` action.
    """

    def __init__(
        self,
        networks: Networks,
        vnics: Vnics,
        *,
        more: Sequence[RouteSet] = (),
        networks_controller: NetworksController | None = None,
        ports_controller: PortsController | None = None,
        network_rules: Mapping[str, str] | None = None,
    ) -> None:
        self.networks = networks
        self.vnics = vnics
        self.more = tuple(more)
        self.networks_controller = networks_controller or NetworksController(networks)
        self.ports_controller = ports_controller or PortsController(vnics)
        plugin = networks.topology.name
        self.network_rules = {**route_rules(plugin, "networks"), **(network_rules or {})}

    def register_routes(self, routes: PluginRoutes) -> None:
        plugin = self.networks.topology.name
        vnics = VnicsController(self.vnics)
        routes.resource("networks", self.networks_controller, rules=self.network_rules)
        vnic_rules = route_rules(plugin, "vnics")
        routes.resource("vnics", vnics, rules=vnic_rules)
        routes.connect("/vnics/{id}/network_info", vnics, "network_info", rule=vnic_rules["show"])
        routes.resource("ports", self.ports_controller, rules=route_rules(plugin, "ports"))
        fixed = FixedIpsController(self.networks)
        routes.resource("fixed_ips", fixed, rules=route_rules(plugin, "fixed_ips"))
        for more in self.more:
            more.register(routes, plugin)


class LeaseRoutes:
    """``/networks/{network_id}/leases``: what the network's DHCP server serves."""

    def __init__(self, networks: DhcpNetworks) -> None:
        self.networks = networks

    def register(self, routes: PluginRoutes, plugin: str) -> None:
        leases = LeasesController(self.networks)
        routes.connect(
            "/networks/{network_id}/leases", leases, "index", rule=f"{plugin}:network:leases"
        )


class FloatingRoutes:
    """``floating_ips``, ``floating_ip_pools`` and ``floating_ips_bulk`` (+ ``/delete``)."""

    def __init__(self, floating: PluginFloatingIps) -> None:
        self.floating = floating

    def register(self, routes: PluginRoutes, plugin: str) -> None:
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


def dhcp_api(
    networks: DhcpNetworks,
    vnics: Vnics,
    floating: PluginFloatingIps,
    *,
    more: Sequence[RouteSet] = (),
    **controllers: Unpack[Controllers],
) -> NetworksAPIService:
    """The API of a DHCP topology with floating IPs (FlatDHCP's whole API), then ``more``."""
    return NetworksAPIService(
        networks,
        vnics,
        more=(LeaseRoutes(networks), FloatingRoutes(floating), *more),
        **controllers,
    )
