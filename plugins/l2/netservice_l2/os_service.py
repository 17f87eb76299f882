"""The l2 OS service: what the compute-facing APIs call."""

from __future__ import annotations

from collections.abc import Mapping

from netservice.core.context import RequestContext
from netservice.core.os_service import OSService

from netservice_l2.vnics import L2Vnics


class L2OSService(OSService):
    def __init__(self, vnics: L2Vnics) -> None:
        self.vnics = vnics

    def get_default_vnic_id(self, context: RequestContext) -> str:
        """A new VNIC on the project's l2 network, else the first shared one.  Not idempotent."""
        return self.vnics.create(context).id

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """l2 has no VPN."""
        return None, None

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        return self.vnics.count(project_id)
