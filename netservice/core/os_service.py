"""The OS service: what the compute-facing OpenStack and EC2 APIs call."""

from __future__ import annotations

import abc
from collections.abc import Mapping

from netservice.core.context import RequestContext


class OSService(abc.ABC):
    """The part of a plugin that the compute API calls on API hosts."""

    @abc.abstractmethod
    def get_default_vnic_id(self, context: RequestContext) -> str:
        """Create a VNIC for ``context.project_id`` and return its id.

        Called by the legacy OpenStack and EC2 boot paths, which do not name
        VNICs: one new VNIC per instance.  Not idempotent: every call creates a
        VNIC.  Raises NotFound when the project has no network to put it on,
        and QuotaExceeded when the project may not have another one.
        """

    @abc.abstractmethod
    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        """The project's VPN (cloudpipe) public address and port.

        Returns ``(None, None)`` for topologies without VPN.  Read-only and
        idempotent.  Raises NotFound when the project has no network.
        """

    @abc.abstractmethod
    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        """Count the live resources this plugin holds for ``project_id``.

        Called before a project is moved to another network service, so the
        operator is told what would be orphaned, e.g. ``{"networks": 1,
        "vnics": 3}``.  Kinds with a count of 0 may be left out; an empty
        mapping means nothing would be orphaned.  Read-only: it runs inside
        the move's write transaction (``netservice.core.serving``), and on
        SQLite a write here would wait for that transaction forever.
        """
