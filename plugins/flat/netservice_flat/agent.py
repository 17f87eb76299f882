"""The Flat net agent: what a compute host calls to wire up an instance.

Flat creates no bridge: the operator makes it on every compute host, so
``setup_compute_network`` only checks that it is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from netservice.compute.injection import render_interfaces
from netservice.compute.libvirt import interface_xml
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.net_agent import NetAgent
from netservice.core.network_info import NetworkInfo

from netservice_flat.vnics import FlatVnics

LOG = logging.getLogger(__name__)

BridgeCheck = Callable[[str], bool | None]
"""``bridge -> exists``; None means "cannot tell here" (dry run)."""


class FlatNetAgent(NetAgent):
    def __init__(self, vnics: FlatVnics | Any, bridge_exists: BridgeCheck, host: str) -> None:
        """``vnics``: the plugin's VNIC service, or ``netservice.compute.remote.RemoteVnics``."""
        self.vnics = vnics
        self.bridge_exists = bridge_exists
        self.host = host

    def _cards(self, context: RequestContext, vnic_ids: Sequence[str]) -> list[tuple[Any, Any]]:
        cards = [self.vnics.get(context, vnic_id) for vnic_id in vnic_ids]
        networks = self.vnics.networks_of(cards)
        return [(card, networks[card.network_id]) for card in cards]

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """One fixed IP per VNIC on its own network.  Idempotent (see ``FlatVnics.bind``)."""
        for vnic_id in vnic_ids:
            self.vnics.bind(context, vnic_id)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Check each VNIC's bridge exists on this host; create nothing.

        Raises ServiceUnavailable naming the bridge and the host when one is missing.
        """
        for bridge in sorted({n.bridge for _, n in self._cards(context, vnic_ids) if n.bridge}):
            present = self.bridge_exists(bridge)
            if present is None:
                LOG.info("dry run: not checking that bridge %s exists on %s", bridge, self.host)
            elif not present:
                raise exceptions.ServiceUnavailable(
                    reason=f"bridge {bridge} does not exist on host {self.host}; in flat mode "
                    "the operator creates it (flat_network_bridge)"
                )

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Free the VNICs' addresses at once.  VNICs already gone are skipped."""
        for vnic_id in vnic_ids:
            try:
                self.vnics.unbind(context, vnic_id)
            except exceptions.VnicNotFound:
                LOG.debug("teardown: VNIC %s is already gone", vnic_id)

    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        """The network's ``injected`` flag, which ``flat_injected`` set at creation."""
        ((_, network),) = self._cards(context, [vnic_id])
        return bool(network.injected)

    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        ((card, network),) = self._cards(context, [vnic_id])
        return self.vnics.network_info(card, network, self.vnics.address_of(card.id))

    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        ((card, network),) = self._cards(context, [vnic_id])
        return interface_xml(
            card.mac, network.bridge or "", filter_name=f"netservice-vnic-{card.id}"
        )

    def get_injected_network_config(
        self, context: RequestContext, vnic_ids: Sequence[str]
    ) -> str | None:
        """``/etc/network/interfaces`` for the VNICs, in order; None when none is injected."""
        pairs = self._cards(context, vnic_ids)
        if not any(network.injected for _, network in pairs):
            return None
        infos = [self.vnics.network_info(c, n, self.vnics.address_of(c.id)) for c, n in pairs]
        return render_interfaces(infos)
