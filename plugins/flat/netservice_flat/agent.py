"""The Flat net agent: what a compute host calls to wire up an instance.

Flat creates no bridge: the operator makes it on every compute host, so
``setup_compute_network`` checks that it is there, then installs the VNIC's
anti-spoofing with the compute host's firewall driver (nftables, on the
bridge port the XML names in ``<target dev>``), as FlatDHCP and VLAN do.
The XML names no nwfilter: libvirt refuses to start a domain whose
``<filterref>`` names a filter it does not have, and one firewall driver for
every plugin is one set of rules to test and to read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from netservice.compute.injection import render_interfaces
from netservice.compute.libvirt import interface_xml, port_name
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.net_agent import NetAgent
from netservice.core.network_info import NetworkInfo
from netservice.networks.domain import Vnic

from netservice_flat.vnics import FlatVnics

LOG = logging.getLogger(__name__)

BridgeCheck = Callable[[str], bool | None]
"""``bridge -> exists``; None means "cannot tell here" (dry run)."""

FirewallSource = Callable[[], Any]
"""Gives the compute host's firewall driver (``ensure_vnic``/``remove_vnic``), or None."""


class FlatNetAgent(NetAgent):
    def __init__(
        self,
        vnics: FlatVnics | Any,
        bridge_exists: BridgeCheck,
        host: str,
        firewall: FirewallSource | None = None,
    ) -> None:
        """``vnics``: the plugin's VNIC service, or ``netservice.compute.remote.RemoteVnics``.

        ``firewall`` is called once, when first needed; None (or a source
        giving None) leaves the VNICs unfiltered, which is logged.
        """
        self.vnics = vnics
        self.bridge_exists = bridge_exists
        self.host = host
        self._firewall_source = firewall
        self._firewall: Any = None

    def _vnic_firewall(self) -> Any:
        if self._firewall is None and self._firewall_source is not None:
            self._firewall = self._firewall_source()
        return self._firewall

    def _cards(self, context: RequestContext, vnic_ids: Sequence[str]) -> list[tuple[Vnic, Any]]:
        cards = [self.vnics.get(context, vnic_id) for vnic_id in vnic_ids]
        return [(card, self.vnics.network_of(card)) for card in cards]

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """One fixed IP per VNIC on its own network.  Idempotent (see ``FlatVnics.bind``)."""
        for vnic_id in vnic_ids:
            self.vnics.bind(context, vnic_id)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Check each VNIC's bridge exists on this host, then filter its port.

        Only the VNIC's MAC and fixed IP may leave its bridge port.  Raises
        ServiceUnavailable naming the bridge and the host when one is
        missing; Conflict when a VNIC is not bound.  Idempotent.
        """
        pairs = self._cards(context, vnic_ids)
        for bridge in sorted({n.bridge for _, n in pairs if n.bridge}):
            present = self.bridge_exists(bridge)
            if present is None:
                LOG.info("dry run: not checking that bridge %s exists on %s", bridge, self.host)
            elif not present:
                raise exceptions.ServiceUnavailable(
                    reason=f"bridge {bridge} does not exist on host {self.host}; in flat mode "
                    "the operator creates it (flat_network_bridge)"
                )
        firewall = self._vnic_firewall()
        if firewall is None:
            LOG.warning("no firewall driver here: VNICs %s are not filtered", list(vnic_ids))
            return
        for card, _ in pairs:
            address = self.vnics.address_of(card.id)
            if address is None:
                raise exceptions.Conflict(
                    reason=f"VNIC {card.id} has no fixed IP: call bind_vnics_to_ports first"
                )
            firewall.ensure_vnic(port_name(card.id), card.mac, [address])

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Remove the ports' filters and free the addresses at once.

        VNICs already gone are skipped.
        """
        firewall = self._vnic_firewall()
        for vnic_id in vnic_ids:
            try:
                card = self.vnics.get(context, vnic_id)
                if firewall is not None:
                    firewall.remove_vnic(port_name(card.id))
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
        return interface_xml(card.mac, network.bridge or "", target_dev=port_name(card.id))

    def get_injected_network_config(
        self, context: RequestContext, vnic_ids: Sequence[str]
    ) -> str | None:
        """``/etc/network/interfaces`` for the VNICs, in order; None when none is injected."""
        pairs = self._cards(context, vnic_ids)
        if not any(network.injected for _, network in pairs):
            return None
        infos = [self.vnics.network_info(c, n, self.vnics.address_of(c.id)) for c, n in pairs]
        return render_interfaces(infos)
