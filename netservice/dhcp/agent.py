"""The compute host's net agent for DHCP topologies (FlatDHCP, VLAN).

It binds VNICs through the plugin's VNIC service, makes the network's bridge
on this host, and filters each VNIC's bridge port so that only its own MAC
and fixed IP leave it (DHCP allowed).  The bridge port is the VNIC's host
end, named in the libvirt XML (``<target dev='tap...'/>``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from netservice.compute.libvirt import interface_xml, port_name
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.net_agent import NetAgent
from netservice.core.network_info import NetworkInfo
from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.parts import CreatedBridge, L2Segment

LOG = logging.getLogger(__name__)

__all__ = ["DhcpNetAgent", "port_name"]


def always(network: Any) -> bool:
    """Every compute host makes the network's link (FlatDHCP)."""
    return True


class DhcpNetAgent(NetAgent):
    """``vnics`` is the plugin's VNIC service (``netservice.networks``), or
    ``netservice.compute.remote.RemoteVnics``: ``get`` gives a
    ``netservice.networks.domain.Vnic`` and ``network_of`` its network.
    """

    def __init__(
        self,
        vnics: Any,
        dataplane: Callable[[], HostDataPlane],
        *,
        l2: L2Segment | None = None,
        makes_link: Callable[[Any], bool] = always,
    ) -> None:
        """``l2`` makes the network's bridge here (default: ``CreatedBridge``), without
        an address, for each network ``makes_link`` says this host makes it for;
        the network host's reconciler puts the DHCP address on its own bridge.
        """
        self.vnics = vnics
        self.l2: L2Segment = l2 or CreatedBridge()
        self.makes_link = makes_link
        self._make_dataplane = dataplane
        self._dp: HostDataPlane | None = None

    @property
    def dp(self) -> HostDataPlane:
        if self._dp is None:
            self._dp = self._make_dataplane()
        return self._dp

    def _card_and_network(self, context: RequestContext, vnic_id: str) -> tuple[Any, Any]:
        card = self.vnics.get(context, vnic_id)
        return card, self.vnics.network_of(card)

    def ensure_compute_link(self, network: Any) -> None:
        """The network's bridge on this host, with its interface, if this host makes it."""
        if self.makes_link(network):
            self.l2.ensure(
                self.dp.links,
                vlan=network.vlan,
                bridge=network.bridge,
                interface=network.bridge_interface,
            )

    # --- NetAgent ----------------------------------------------------------------------------

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self.vnics.bind(context, vnic_id)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            card, network = self._card_and_network(context, vnic_id)
            address = self.vnics.address_of(card.id)
            if address is None:
                raise exceptions.Conflict(
                    reason=f"VNIC {vnic_id} has no fixed IP: call bind_vnics_to_ports first"
                )
            self.ensure_compute_link(network)
            self.dp.firewall.ensure_vnic(port_name(card.id), card.mac, [address])

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            try:
                card = self.vnics.get(context, vnic_id)
            except exceptions.VnicNotFound:
                LOG.info("teardown: VNIC %s is already gone", vnic_id)
                continue
            self.dp.firewall.remove_vnic(port_name(card.id))
            # DHCP semantics: the address is held until dnsmasq releases it
            # (the network host runs dhcp_release) or the timeout passes.
            self.vnics.unbind(context, vnic_id)

    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        _, network = self._card_and_network(context, vnic_id)
        return bool(network.injected)

    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        card, network = self._card_and_network(context, vnic_id)
        info: NetworkInfo = self.vnics.network_info(card, network, self.vnics.address_of(card.id))
        return info

    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        card, network = self._card_and_network(context, vnic_id)
        return interface_xml(card.mac, network.bridge, target_dev=port_name(card.id))
