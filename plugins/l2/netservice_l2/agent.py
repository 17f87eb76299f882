"""The l2 net agent: MACs on segments, bridges on the compute host, no addresses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from netservice.compute.libvirt import interface_xml
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.net_agent import NetAgent
from netservice.core.network_info import NetworkInfo
from netservice.networks.domain import Vnic

from netservice_l2.dataplane import wire
from netservice_l2.vnics import L2Vnics

LOG = logging.getLogger(__name__)

OpenLinks = Callable[[], Any]
"""Opens this host's ``Links`` (``netservice.linux.factory.links``); the caller closes it."""


def network_info(mac: str, bridge: str | None) -> NetworkInfo:
    """Every L3 field None: the guest addresses itself (link-local IPv6, or its own).

    ``bridge`` is the segment's bridge.
    """
    return NetworkInfo(
        cidr=None, cidr_v6=None, netmask=None, netmask_v6=None, gateway=None, gateway_v6=None,
        dhcp_server=None, broadcast=None, dns=[], ra_server=None, mac_address=mac,
        ip_address=None, address_v6=None, bridge=bridge,
    )  # fmt: skip


class L2NetAgent(NetAgent):
    def __init__(
        self, vnics: L2Vnics | Any, open_links: OpenLinks | None, config: Any, host: str
    ) -> None:
        """``vnics``: the plugin's VNIC service, or ``netservice.compute.remote.RemoteVnics``
        (a compute host without the database).  ``open_links`` None: a process
        without ``[linux]`` wires nothing (logged).
        """
        self.vnics = vnics
        self.open_links = open_links
        self.config = config
        self.host = host

    def _with_network(self, context: RequestContext, vnic_id: str) -> tuple[Vnic, Any]:
        vnic = self.vnics.get(context, vnic_id)
        return vnic, self.vnics.network_of(vnic)

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Nothing to allocate: only checks each VNIC exists (VnicNotFound).  Idempotent."""
        for vnic_id in vnic_ids:
            self.vnics.get(context, vnic_id)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Ensure each VNIC's bridge (and VLAN/VXLAN device) on this host.  Idempotent."""
        networks = {n.id: n for n in (self._with_network(context, v)[1] for v in vnic_ids)}
        if self.open_links is None:
            LOG.info("no [linux]: not wiring %d l2 network(s) on %s", len(networks), self.host)
            return
        links = self.open_links()
        try:
            for network in networks.values():
                wire(links, network, self.config, self.host)
        finally:
            links.close()

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Nothing held per VNIC; the bridge stays for the segment's other guests."""
        for vnic_id in vnic_ids:
            try:
                self.vnics.get(context, vnic_id)
            except exceptions.VnicNotFound:
                LOG.debug("teardown: VNIC %s is already gone", vnic_id)

    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        self.vnics.get(context, vnic_id)
        return False

    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        vnic, network = self._with_network(context, vnic_id)
        return network_info(vnic.mac, network.bridge)

    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        """A bridge interface with no filterref: an l2 segment filters nothing."""
        vnic, network = self._with_network(context, vnic_id)
        return interface_xml(vnic.mac, network.bridge)
