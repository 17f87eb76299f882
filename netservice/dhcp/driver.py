"""``DhcpDriver``: what the DHCP topologies' net-service asks of a DHCP server.

dnsmasq (``netservice.linux.dnsmasq.Dnsmasq``, and its dry-run twin) is the
one implementation today; another server is another class with these
methods, built where ``HostDataPlane`` builds its drivers.  The driver owns
its server's formats and files: the net-service hands it networks and host
entries, and the server's lease events come back to the plugin through its
callback program as the neutral events of ``netservice.core.dhcp``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork

__all__ = ["DhcpDriver", "DhcpHost", "DhcpNetwork"]


@runtime_checkable
class DhcpDriver(Protocol):
    """Serves DHCP on the networks of one host (one server per network).

    ``network_id`` is the net-service's key for a network (``DhcpNetwork.
    network_id``).  Every method is idempotent and may be called from the
    net-service's thread while another runs.  Bad arguments raise
    InvalidInput; a missing program raises BinaryNotFound; a server that
    cannot be started or told raises a data-plane error (DhcpError,
    CommandFailed), which the net-service records on that network alone.
    """

    def ensure(self, network: DhcpNetwork, hosts: Iterable[DhcpHost] | None = None) -> int:
        """Serve ``network``: start its server, or keep the one running.

        Called on every reconcile of the network.  A server started for
        other settings is restarted.  With ``hosts``, the host entries are
        made exactly those first.  Returns the server's process id.
        """
        ...

    def stop(self, network_id: str) -> None:
        """Stop serving the network and forget its files.  Absent is fine."""
        ...

    def halt(self, network_id: str) -> None:
        """Stop the network's server but keep its files, for a daemon shutting down.

        The next ``ensure`` serves the network again from them.  Absent is fine.
        """
        ...

    def network_ids(self) -> list[str]:
        """The networks with anything on this host: served now, or left by a crash."""
        ...

    def pid(self, network_id: str) -> int | None:
        """The process id of the network's running server; None when none runs."""
        ...

    def add_host(self, network_id: str, host: DhcpHost) -> None:
        """Offer ``host.ip`` to ``host.mac`` from now on, without a restart."""
        ...

    def remove_host(self, network_id: str, mac: str) -> None:
        """Offer nothing more to ``mac``; its current lease lasts until ``release`` or expiry."""
        ...

    def release(self, network: DhcpNetwork, ip: str, mac: str) -> None:
        """End the lease of ``ip`` by ``mac`` now (the address was deallocated).

        A driver that cannot do so logs a warning and returns.
        """
        ...
