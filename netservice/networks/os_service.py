"""The OS service of a plugin on ``netservice.networks``: what compute-facing APIs call.

One class for every such plugin; what differs is which optional parts it
was given: floating IPs (counted in the project's resources) and VPNs (the
project's VPN address and port).
"""

from __future__ import annotations

from collections.abc import Mapping

from netservice.core.context import RequestContext
from netservice.core.os_service import OSService
from netservice.networks.parts import FloatingIpsPart, VpnsPart
from netservice.networks.vnics import Vnics


class NetworksOSService(OSService):
    def __init__(
        self,
        vnics: Vnics,
        floating: FloatingIpsPart | None = None,
        vpns: VpnsPart | None = None,
    ) -> None:
        self.vnics = vnics
        self.floating = floating
        self.vpns = vpns

    def get_default_vnic_id(self, context: RequestContext) -> str:
        """A new VNIC on the project's network (the VNIC service picks or claims it).

        Not idempotent.  Raises NotFound when no network is available (VLAN:
        NoMoreNetworks, 409, when the project has none and none is free).
        """
        return str(self.vnics.create(context).id)

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """The public address and port of the project's VPN; ``(None, None)`` without VPNs.

        The address is None when the VPN has none.  Read-only.  Raises
        ProjectHasNoNetwork (404) for a project without a network.
        """
        if self.vpns is None:
            return None, None
        vpn = self.vpns.get(project_id)
        return vpn.public_address, vpn.public_port

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        """Networks, VNICs, allocated fixed IPs (and held floating IPs, auto-assigned too)."""
        counts = self.vnics.count(project_id)
        if self.floating is not None:
            counts["floating_ips"] = len(self.floating.get_floating_ips_by_project(project_id))
        return counts
