"""The VLAN REST API under ``/v1.0/vlan/``.

FlatDHCP's shape (networks, vnics, ports, fixed_ips, leases, floating IPs,
pools, bulk: ``netservice.networks.api.service.dhcp_api``), plus:

- ``POST /networks`` takes ``vlan``, ``vlan_start`` and ``vpn_start``;
- ``POST /networks/{id}/action`` with os-networks' actions (admin):
  ``{"associate_project": P}``, ``{"associate_host": H}``,
  ``{"disassociate": null}``, ``{"disassociate_project": null}``,
  ``{"disassociate_host": null}``;
- ``POST /networks/add`` ``{"id": <uuid or null>, "project_id": P}`` (admin):
  give the project that network, or a free one;
- ``POST /ports`` takes ``"vpn": true`` (admin): the VNIC becomes the
  project's VPN instance and takes its network's reserved VPN address;
- ``GET|PUT /projects/{project_id}/vpn``: the project's VPN (its own
  members, or an admin), and ``vpn change`` (admin); ``GET /vpns`` lists
  every project's (admin).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.routemap import PluginRoutes
from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate, status
from netservice.networks.api.networks import NetworksController
from netservice.networks.api.service import dhcp_api
from netservice.networks.api.vnics import PortsController
from netservice.networks.floating import PluginFloatingIps

from netservice_vlan import schemas
from netservice_vlan.networks import VlanNetworks
from netservice_vlan.vnics import VlanBindOptions, VlanVnics
from netservice_vlan.vpn import ProjectVpns, Vpn

_DISASSOCIATE = ("disassociate", "disassociate_project", "disassociate_host")


class VlanNetworksController(NetworksController):
    # ``network create`` with the VLAN options too.
    plan_options = schemas.PLAN_OPTIONS

    def __init__(self, networks: VlanNetworks) -> None:
        super().__init__(networks)
        self.vlan_networks = networks

    @expects(schemas.NETWORK_ACTION)
    def action(self, req: Request, id: str, body: dict[str, Any]) -> dict[str, Any]:
        """os-networks' associate and disassociate actions, for project and host."""
        req.authorize(f"{self.rule}:associate")
        for key in _DISASSOCIATE:
            if key in body and body[key] is not None:
                raise exceptions.InvalidInput(
                    field=key, reason=f"takes no value (null), got {body[key]!r}"
                )
        everything = "disassociate" in body
        if everything and len(body) > 1:
            raise exceptions.InvalidInput(
                field="disassociate", reason="cannot be combined with another action"
            )
        force = self.forced(req)
        network, orphans = self.vlan_networks.change(
            id,
            project=body.get("associate_project"),
            disassociate_project=everything or "disassociate_project" in body,
            host=body.get("associate_host"),
            disassociate_host=everything or "disassociate_host" in body,
            force=force,
        )
        result: dict[str, Any] = {"network": self.view(network)}
        if force:
            result["orphaned"] = orphans.as_dict()
        return result

    @expects(schemas.NETWORK_ADD)
    def add(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        """Give a project (default: the caller's) the network ``id``, or a free one."""
        req.authorize(f"{self.rule}:add")
        project = body.get("project_id") or req.context.project_id
        if project is None:
            raise exceptions.InvalidInput(field="project_id", reason="is required")
        network = self.vlan_networks.add_network_to_project(project, body.get("id"))
        return {"network": self.view(network)}


class VlanPortsController(PortsController):
    def __init__(self, vnics: VlanVnics) -> None:
        super().__init__(vnics)
        self.vlan_vnics = vnics

    @status(201)
    @expects(schemas.PORT_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        """Bind a VNIC; ``"vpn": true`` gives it the network's VPN address (admin)."""
        if body["port"].get("vpn"):
            req.authorize(f"{self.plugin}:port:vpn")
        return super().create(req, body=body)

    def _options(self, wanted: dict[str, Any]) -> VlanBindOptions:
        return VlanBindOptions(**super()._options(wanted), vpn=bool(wanted.get("vpn")))


def vpn_view(vpn: Vpn) -> dict[str, Any]:
    """The VPN's fields, in their declared order (project_id ... private_address)."""
    return dataclasses.asdict(vpn)


class VpnController(Controller):
    def __init__(self, plugin: str, vpns: ProjectVpns) -> None:
        self.rule = f"{plugin}:vpn"
        self.vpns = vpns

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        req.authorize(f"{self.rule}:list")
        chunk, marker = paginate(self.vpns.list(), req.page, key=lambda v: v.project_id)
        body: dict[str, Any] = {"vpns": [vpn_view(v) for v in chunk]}
        if marker:
            body["vpns_links"] = links(req, marker)
        return body

    def show(self, req: Request, project_id: str) -> dict[str, Any]:
        req.authorize(f"{self.rule}:get", {"project_id": project_id}, hide=True)
        return {"vpn": vpn_view(self.vpns.get(project_id))}

    @expects(schemas.VPN_UPDATE)
    def update(self, req: Request, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """``vpn change``: another public address and port for the project's VPN."""
        req.authorize(f"{self.rule}:change")
        wanted = body["vpn"]
        vpn = self.vpns.change(project_id, wanted["public_address"], wanted["public_port"])
        return {"vpn": vpn_view(vpn)}


class VpnRoutes:
    """``/networks/add``, ``/vpns`` and ``/projects/{project_id}/vpn``."""

    def __init__(self, networks: VlanNetworksController, vpns: ProjectVpns) -> None:
        self.networks = networks
        self.vpns = vpns

    def register(self, routes: PluginRoutes, plugin: str) -> None:
        routes.connect(
            "/networks/add", self.networks, "add", ("POST",), rule=f"{plugin}:network:add"
        )
        vpn = VpnController(plugin, self.vpns)
        routes.connect("/vpns", vpn, "index", rule=f"{plugin}:vpn:list")
        project_vpn = "/projects/{project_id}/vpn"
        routes.connect(project_vpn, vpn, "show", rule=f"{plugin}:vpn:get")
        routes.connect(project_vpn, vpn, "update", ("PUT",), rule=f"{plugin}:vpn:change")


def vlan_api(
    networks: VlanNetworks,
    vnics: VlanVnics,
    floating: PluginFloatingIps,
    vpns: ProjectVpns,
) -> APIService:
    """FlatDHCP's API with VLAN's controllers for ``/networks`` and ``/ports``, and its VPNs."""
    controller = VlanNetworksController(networks)
    return dhcp_api(
        networks,
        vnics,
        floating,
        more=[VpnRoutes(controller, vpns)],
        networks_controller=controller,
        ports_controller=VlanPortsController(vnics),
        network_rules={"action": f"{networks.topology.name}:network:associate"},
    )
