"""The FlatDHCP OS service: what the compute-facing APIs call."""

from __future__ import annotations

from collections.abc import Mapping

from netservice.core.context import RequestContext
from netservice.core.os_service import OSService
from netservice.floating.service import FloatingIps

from netservice_flat_dhcp.vnics import FlatDhcpVnics


class FlatDhcpOSService(OSService):
    def __init__(self, vnics: FlatDhcpVnics, floating: FloatingIps) -> None:
        self.vnics = vnics
        self.floating = floating

    def get_default_vnic_id(self, context: RequestContext) -> str:
        """A new VNIC on the project's network (else the first unassigned one).

        Not idempotent.  Raises NotFound when no FlatDHCP network is available.
        """
        return str(self.vnics.create(context).id)

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """FlatDHCP has no VPN."""
        return None, None

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        """Networks, VNICs, allocated fixed IPs and held floating IPs (auto-assigned too)."""
        counts = self.vnics.count(project_id)
        counts["floating_ips"] = len(self.floating.get_floating_ips_by_project(project_id))
        return counts
