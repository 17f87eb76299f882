"""VLAN's VNICs and ports: ``netservice.networks.vnics`` on its tables, plus

- a VNIC created without a network goes on the project's network, and a
  project without one is given a free network first (``NoMoreNetworks``
  when none is left);
- the project's VPN instance: binding with ``vpn=True`` gives the VNIC its
  network's reserved ``vpn_private_address``, which no other binding can
  take (nova allocated it to the instance booted as the project's VPN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Unpack, cast

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.networks.domain import Port, Vnic
from netservice.networks.vnics import BindOptions, Vnics

from netservice_vlan.networks import VlanNetworks


class VlanBindOptions(BindOptions, total=False):
    """``VlanVnics.bind_port``'s options: ``vpn`` asks for the network's VPN address."""

    vpn: bool


class VlanVnics(Vnics):
    """Ethernet cards and their fixed IPs; floating IPs follow ``[vlan]``."""

    @property
    def vlan_networks(self) -> VlanNetworks:
        """The networks service, with its project claims."""
        return cast(VlanNetworks, self.networks)

    def _project_network(self, project_id: str) -> str:
        """The project's own network; a project that has none is given a free one.

        Atomic (``VlanNetworks.network_for_project``); raises NoMoreNetworks
        (409) when none is left.
        """
        return str(self.vlan_networks.network_for_project(project_id).id)

    def vpn_address(self, card: Vnic) -> str:
        """The reserved VPN address of the VNIC's network.  InvalidInput without one."""
        network = self.network_of(card)
        if not network.vpn_private_address:
            raise exceptions.InvalidInput(
                field="vpn", reason=f"network {network.uuid} has no VPN address (no IPv4 range)"
            )
        return str(network.vpn_private_address)

    def bind(
        self,
        context: RequestContext,
        vnic: str | Vnic,
        *,
        vpn: bool = False,
        **options: Unpack[BindOptions],
    ) -> str:
        """``Vnics.bind``; with ``vpn``, the network's reserved VPN address.

        Raises FixedIpAlreadyInUse (409) when another VNIC holds it, and
        InvalidInput when ``address`` names another address.
        """
        if vpn:
            vnic = self.get(context, vnic) if isinstance(vnic, str) else vnic
            self._vpn_request(vnic, options)
        return super().bind(context, vnic, **options)

    def bind_port(
        self,
        context: RequestContext,
        vnic_id: str,
        authorize: Callable[[str], None],
        *,
        vpn: bool = False,
        **options: Unpack[BindOptions],
    ) -> Port:
        """``Vnics.bind_port``; with ``vpn``, the network's reserved VPN address."""
        if vpn:
            self._vpn_request(self.get(context, vnic_id), options)
        return super().bind_port(context, vnic_id, authorize, **options)

    def _vpn_request(self, card: Vnic, options: BindOptions) -> None:
        """Ask ``options`` for the VPN address, reserved; InvalidInput for another address."""
        wanted = self.vpn_address(card)
        address = options.get("address")
        if address is not None and address != wanted:
            raise exceptions.InvalidInput(
                field="address",
                reason=f"the VPN instance takes its network's VPN address {wanted}, not {address}",
            )
        options["address"] = wanted
        options["reserved"] = True
