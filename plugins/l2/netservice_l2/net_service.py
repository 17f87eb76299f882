"""The l2 net-service: the network host's bridges (and VLAN/VXLAN devices)."""

from __future__ import annotations

import logging
from typing import Any

from netservice.core.exceptions import NetserviceError
from netservice.core.net_service import NetService

from netservice_l2.agent import OpenLinks
from netservice_l2.dataplane import devices, wire
from netservice_l2.networks import L2Networks

LOG = logging.getLogger(__name__)


class L2NetService(NetService):
    def __init__(
        self, networks: L2Networks, open_links: OpenLinks, config: Any, host: str
    ) -> None:
        self.networks = networks
        self.open_links = open_links
        self.config = config
        self.host = host
        self.made: dict[str, list[str]] = {}
        """network id -> the links this process ensured for it, removed once it is deleted."""

    def reconcile(self) -> None:
        """Ensure every network's links; remove those of networks deleted since.  Idempotent."""
        wanted = {n.id: n for n in self.networks.list(None)}
        links = self.open_links()
        try:
            for network_id in sorted(set(self.made) - set(wanted)):
                for ifname in reversed(self.made.pop(network_id)):
                    links.remove_link(ifname)
            for network in wanted.values():
                try:
                    wire(links, network, self.config, self.host)
                    self.made[network.id] = devices(network)
                except NetserviceError as err:  # one network's failure must not stop the others
                    LOG.error("l2 network %s (%s) not wired: %s", network.label, network.id, err)
        finally:
            links.close()
