"""FlatDHCP's VNICs and ports: ``netservice.networks.dhcp_vnics`` on its tables."""

from __future__ import annotations

from typing import Any

from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier
from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.dhcp_vnics import DhcpVnics

from netservice_flat_dhcp.models import SCHEMA
from netservice_flat_dhcp.networks import FlatDhcpNetworks


class FlatDhcpVnics(DhcpVnics):
    """Ethernet cards and their fixed IPs; floating IPs follow ``[flat_dhcp]``."""

    def __init__(
        self,
        db: Database,
        allocator: Allocator,
        networks: FlatDhcpNetworks,
        config: Any,
        *,
        host: str,
        floating: FloatingIps,
        notifier: ChangeNotifier | None = None,
    ) -> None:
        super().__init__(
            db,
            allocator,
            SCHEMA,
            networks.topology,
            networks,
            host=host,
            notifier=notifier,
            floating=floating,
            auto_assign_pool=config.default_floating_pool
            if config.auto_assign_floating_ip
            else None,
        )
