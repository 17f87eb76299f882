"""VLAN's VNICs and ports: ``netservice.networks.dhcp_vnics`` on its tables, plus

- a VNIC created without a network goes on the project's network, and a
  project without one is given a free network first (``NoMoreNetworks``
  when none is left);
- the project's VPN instance: binding with ``vpn=True`` gives the VNIC its
  network's reserved ``vpn_private_address``, which no other binding can
  take (nova allocated it to the instance booted as the project's VPN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.networks.dhcp_vnics import DhcpVnics

from netservice_vlan.networks import VlanNetworks


class VlanVnics(DhcpVnics):
    """Ethernet cards and their fixed IPs; floating IPs follow ``[vlan]``."""

    @property
    def vlan_networks(self) -> VlanNetworks:
        """The networks service, with its project claims."""
        return cast(VlanNetworks, self.dhcp_networks)

    def create_on(
        self,
        context: RequestContext,
        *,
        network: str | None = None,
        instance_id: str | None = None,
        project_id: str | None = None,
    ) -> tuple[Any, Any]:
        """Create a VNIC; without ``network``, on the project's own network.

        A project that has no network yet is given a free one, atomically
        (``VlanNetworks.network_for_project``).  Raises NoMoreNetworks (409)
        when none is left; otherwise as ``Cards.create_on``.
        """
        if network is None:
            owner = project_id if (project_id and context.is_admin) else context.project_id
            if owner is None:
                raise exceptions.NotAuthorized()
            network = str(self.vlan_networks.network_for_project(owner).id)
        return super().create_on(
            context, network=network, instance_id=instance_id, project_id=project_id
        )

    def vpn_address(self, card: Any) -> str:
        """The reserved VPN address of the VNIC's network.  InvalidInput without one."""
        network = self.networks_of([card])[card.network_id]
        if not network.vpn_private_address:
            raise exceptions.InvalidInput(
                field="vpn", reason=f"network {network.uuid} has no VPN address (no IPv4 range)"
            )
        return str(network.vpn_private_address)

    def bind(
        self,
        context: RequestContext,
        vnic: str | Any,
        *,
        address: str | None = None,
        instance_id: str | None = None,
        host: str | None = None,
        reserved: bool = False,
        vpn: bool = False,
    ) -> str:
        """``DhcpVnics.bind``; with ``vpn``, the network's reserved VPN address.

        Raises FixedIpAlreadyInUse (409) when another VNIC holds it, and
        InvalidInput when ``address`` names another address.
        """
        if not vpn:
            return super().bind(
                context, vnic, address=address, instance_id=instance_id, host=host,
                reserved=reserved,
            )  # fmt: skip
        card = self.get(context, vnic) if isinstance(vnic, str) else vnic
        wanted = self._vpn_request(card, address)
        return super().bind(
            context, card, address=wanted, instance_id=instance_id, host=host, reserved=True
        )

    def bind_port(
        self,
        context: RequestContext,
        vnic_id: str,
        authorize: Callable[[str], None],
        *,
        address: str | None = None,
        instance_id: str | None = None,
        host: str | None = None,
        reserved: bool = False,
        vpn: bool = False,
    ) -> tuple[Any, Any, str]:
        """``Vnics.bind_port``; with ``vpn``, the network's reserved VPN address."""
        if vpn:
            address = self._vpn_request(self.get(context, vnic_id), address)
            reserved = True
        return super().bind_port(
            context, vnic_id, authorize, address=address, instance_id=instance_id, host=host,
            reserved=reserved,
        )  # fmt: skip

    def _vpn_request(self, card: Any, address: str | None) -> str:
        wanted = self.vpn_address(card)
        if address is not None and address != wanted:
            raise exceptions.InvalidInput(
                field="address",
                reason=f"the VPN instance takes its network's VPN address {wanted}, not {address}",
            )
        return wanted
