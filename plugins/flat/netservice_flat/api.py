"""The Flat REST API under ``/v1.0/flat/``: networks, vnics, ports and fixed_ips.

Exactly the shape of ``netservice.networks.api``; Flat adds no resource.
"""

from __future__ import annotations

from netservice.networks.api.service import NetworksAPIService


class FlatAPIService(NetworksAPIService):
    """Flat's routes: those every plugin on ``netservice.networks`` has."""
