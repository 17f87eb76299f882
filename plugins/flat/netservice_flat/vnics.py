"""Flat's VNICs and ports: ``netservice.networks`` with addresses freed at once on unbind."""

from __future__ import annotations

from netservice.core.db.session import Database
from netservice.ipam.allocator import Allocator
from netservice.networks.vnics import Vnics

from netservice_flat.models import SCHEMA
from netservice_flat.networks import FlatNetworks


class FlatVnics(Vnics):
    """Ethernet cards and their fixed IPs on Flat's tables."""

    def __init__(
        self, db: Database, allocator: Allocator, networks: FlatNetworks, host: str
    ) -> None:
        super().__init__(db, allocator, SCHEMA, networks.topology, networks, host=host)
