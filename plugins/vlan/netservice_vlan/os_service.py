"""The VLAN OS service: what the compute-facing APIs call."""

from __future__ import annotations

from collections.abc import Mapping

from netservice.core.context import RequestContext
from netservice.core.os_service import OSService
from netservice.floating.service import FloatingIps

from netservice_vlan.vnics import VlanVnics
from netservice_vlan.vpn import ProjectVpns


class VlanOSService(OSService):
    def __init__(self, vnics: VlanVnics, floating: FloatingIps, vpns: ProjectVpns) -> None:
        self.vnics = vnics
        self.floating = floating
        self.vpns = vpns

    def get_default_vnic_id(self, context: RequestContext) -> str:
        """A new VNIC on the project's network; its first boot claims a free network.

        Not idempotent.  Raises NoMoreNetworks (409) when the project has no
        network and none is free.
        """
        return str(self.vnics.create(context).id)

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """The public address and port of the project's VPN (its first network's).

        The address is None when neither ``vpn change`` nor ``[vlan] vpn_ip``
        gave one.  Read-only.  Raises ProjectHasNoNetwork (404).
        """
        vpn = self.vpns.get(project_id)
        return vpn.public_address, vpn.public_port

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        """Networks, VNICs, allocated fixed IPs and held floating IPs (auto-assigned too)."""
        counts = self.vnics.count(project_id)
        counts["floating_ips"] = len(self.floating.get_floating_ips_by_project(project_id))
        return counts
