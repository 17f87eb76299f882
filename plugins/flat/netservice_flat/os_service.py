"""The Flat OS service: what the compute-facing APIs call."""

from __future__ import annotations

from collections.abc import Mapping

from netservice.core.context import RequestContext
from netservice.core.os_service import OSService

from netservice_flat.vnics import FlatVnics


class FlatOSService(OSService):
    def __init__(self, vnics: FlatVnics) -> None:
        self.vnics = vnics

    def get_default_vnic_id(self, context: RequestContext) -> str:
        """A new VNIC on the project's network (else the first unassigned one).

        Not idempotent.  Raises NotFound when no flat network is available.
        """
        return str(self.vnics.create(context).id)

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """Flat has no VPN."""
        return None, None

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        return self.vnics.count(project_id)
