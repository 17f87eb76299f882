"""The host-side parts of a DHCP plugin, built from the plugin object alone.

A plugin assembled by ``netservice.networks.assembly.DhcpPlugin`` names
these by ``"module:Class"`` and they are imported on first use (they import
the data plane, which an API host never needs):

- ``PluginNetService``: the reconciler on the plugin's tables, each
  multi_host network served from this host's own pool address, the expired
  fixed IPs swept on every full pass;
- ``PluginNetAgent``: the compute host's agent, on the VNIC service in
  process or, with ``[agent] api_url``, over REST;
- ``PluginLeaseHandler``: the DHCP server's lease callbacks.

A plugin with its own link or extras (VLAN's 802.1q or VXLAN bridge, its
isolation and VPN forwards) passes those parts to the first two, from a
function of its own that ``DhcpParts`` names instead of the class.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from netservice.compute import remote
from netservice.core.plugin import PluginContext
from netservice.dhcp.agent import DhcpNetAgent, always
from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.leases import DhcpLeaseCallbacks
from netservice.dhcp.parts import L2Segment, NetworkExtra
from netservice.dhcp.service import DhcpNetService
from netservice.dhcp.state import StateReader

DEFAULT_LEASE_TIME = 86400


class DhcpPluginParts(Protocol):
    """What the host-side parts read from the plugin object."""

    @property
    def context(self) -> PluginContext: ...

    @property
    def schema(self) -> Any: ...

    @property
    def allocator(self) -> Any: ...

    @property
    def networks(self) -> Any: ...

    @property
    def vnics(self) -> Any: ...


def host_dataplane(plugin: DhcpPluginParts) -> HostDataPlane:
    """The drivers for ``[linux]``; the DHCP server calls back with this process's config files."""
    ctx = plugin.context
    conf = ctx.global_config
    assert conf is not None  # the core always hands it over
    return HostDataPlane.from_config(
        conf.linux,
        service=ctx.name,
        state_path=ctx.state_path,
        config_files=[os.path.abspath(f) for f in conf.config_file],
    )


class PluginNetService(DhcpNetService):
    """The DHCP reconciler bound to ``plugin``'s tables and ``[linux]`` drivers."""

    def __init__(
        self,
        plugin: DhcpPluginParts,
        *,
        dataplane: Callable[[], HostDataPlane] | None = None,
        l2: L2Segment | None = None,
        extras: Sequence[NetworkExtra] = (),
    ) -> None:
        """``dataplane`` builds the drivers (default: from ``[linux]``; tests pass fakes).

        ``l2`` makes each network's bridge (default: ``CreatedBridge``);
        ``extras`` add the topology's own per-network state, in order.
        """
        host = plugin.context.host

        def dhcp_address(network: Any) -> str | None:
            if network.multi_host:
                address: str | None = plugin.networks.claim_dhcp_address(network.id, host)
                return address
            return None

        super().__init__(
            StateReader(
                plugin.context.database,
                plugin.schema,
                host,
                dhcp_address=dhcp_address,
                service=plugin.context.name,
            ),
            dataplane or (lambda: host_dataplane(plugin)),
            sweep=lambda: plugin.networks.disassociate_expired(host),
            l2=l2,
            extras=extras,
        )


class PluginNetAgent(DhcpNetAgent):
    """The compute host's DHCP agent for ``plugin``'s VNICs."""

    def __init__(
        self,
        plugin: DhcpPluginParts,
        *,
        dataplane: Callable[[], HostDataPlane] | None = None,
        l2: L2Segment | None = None,
        makes_link: Callable[[Any], bool] = always,
    ) -> None:
        """``dataplane`` builds the drivers (default: from ``[linux]``; tests pass fakes).

        ``l2`` makes a network's bridge on this host for each network
        ``makes_link`` is true of (default: ``CreatedBridge``, every network).
        """
        # With [agent] api_url (a compute host without the database) the VNIC
        # service is reached over REST; otherwise in-process.
        super().__init__(
            remote.from_config(plugin.context) or plugin.vnics,
            dataplane or (lambda: host_dataplane(plugin)),
            l2=l2,
            makes_link=makes_link,
        )


class PluginLeaseHandler(DhcpLeaseCallbacks):
    """The lease callbacks on ``plugin``'s tables; leases last ``[linux] dhcp_lease_time``."""

    def __init__(self, plugin: DhcpPluginParts) -> None:
        conf = plugin.context.global_config
        lease_time = conf.linux.dhcp_lease_time if conf is not None else DEFAULT_LEASE_TIME
        super().__init__(
            plugin.context.database, plugin.schema, plugin.allocator, lease_time=lease_time
        )
