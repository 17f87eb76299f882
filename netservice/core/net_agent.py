"""The net agent: what a compute host calls to wire up an instance."""

from __future__ import annotations

import abc
from collections.abc import Sequence

from netservice.core.context import RequestContext
from netservice.core.network_info import NetworkInfo


class NetAgent(abc.ABC):
    """Binds VNICs to ports and sets up networking on a compute host.

    ``vnic_ids`` are the plugin's VNIC (ethernet card) ids, in the order the
    instance sees its NICs.  Every method raises VnicNotFound (404) for a VNIC
    that does not exist or belongs to another project than ``context``'s,
    unless the context is an admin's.
    """

    @abc.abstractmethod
    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Give each VNIC a port: a fixed IP on its network.

        Called by compute before the instance's domain is defined.
        Idempotent: a VNIC that is already bound keeps its address.  Raises
        NoMoreFixedIps (a Conflict) when a network is full; VNICs bound before
        the failure stay bound, and a retry completes the rest.
        """

    @abc.abstractmethod
    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Prepare this host for the VNICs: bridges, VLANs, firewall rules.

        Called on the compute host after ``bind_vnics_to_ports``.  Idempotent.
        Raises ServiceUnavailable when the host cannot provide what the
        network needs (a missing bridge in flat mode, a kernel without 802.1q),
        naming the bridge or feature and the host.
        """

    @abc.abstractmethod
    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        """Undo ``setup_compute_network`` and release the VNICs' ports.

        Called when the instance is destroyed.  Idempotent: VNICs or rules that
        are already gone are skipped, so a crashed teardown can be repeated.
        """

    @abc.abstractmethod
    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        """Whether the guest needs its network config injected (no DHCP).

        Read-only.
        """

    @abc.abstractmethod
    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        """The VNIC's addressing, with exactly the keys of ``NetworkInfo``.

        Fields that do not apply (no IPv6, no DHCP, not yet bound) are None;
        ``dns`` is a list, empty when there is none.  Read-only.
        """

    @abc.abstractmethod
    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        """The libvirt ``<interface>`` element for the VNIC, as text.

        ``<interface type='bridge'><mac address='…'/><source bridge='…'/>
        <model type='virtio'/><filterref filter='…'/></interface>``.  Read-only.
        """

    def get_injected_network_config(
        self, context: RequestContext, vnic_ids: Sequence[str]
    ) -> str | None:
        """The guest's ``/etc/network/interfaces`` for file injection, or None.

        Only called when ``requires_file_injection`` is true for some VNIC.
        The default returns None: plugins that serve DHCP need not override it.
        """
        return None
