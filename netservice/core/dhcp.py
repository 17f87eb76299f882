"""The DHCP lease callbacks: what a DHCP server's lease events reach in a plugin.

The DHCP driver (dnsmasq's, in ``netservice.linux.dnsmasq``) turns its
server's own notifications into three neutral events: a lease is granted or
renewed, a lease ends, and the server asks which leases it holds when it
starts.  Its callback program (``netservice-dhcpbridge`` for dnsmasq) finds
the owning plugin and calls the handler the plugin returns from
``get_dhcp_lease_handler()``.  Plugins without DHCP return ``None``.  No
server's wire or file format appears here.
"""

from __future__ import annotations

import abc
import dataclasses


@dataclasses.dataclass(frozen=True)
class Lease:
    """One current lease, handed back to a DHCP server when it starts."""

    expiry: int
    """Seconds since the epoch when the lease ends (0: never)."""
    mac: str
    ip: str
    hostname: str | None = None


class DhcpLeaseHandler(abc.ABC):
    """Lease and release callbacks for one plugin's DHCP-served networks.

    Every method runs in the DHCP driver's short-lived callback process,
    once per lease event, and must return promptly: a DHCP server may
    serialise its callbacks.  None of them may raise for an unknown MAC or
    an address that is not allocated; they log a warning and return,
    because the server only logs the callback's exit status and a crash
    would lose later events.
    """

    @abc.abstractmethod
    def lease(self, network_id: str, mac: str, ip: str, hostname: str | None) -> None:
        """Record that ``ip`` is leased to ``mac``: a new lease or a renewed one.

        Idempotent: a repeated call only refreshes the lease time.
        """

    @abc.abstractmethod
    def release(self, network_id: str, mac: str, ip: str) -> None:
        """Record that the lease ended (released by the client, or expired).

        Frees the address when it is no longer allocated.  Ignored when the
        MAC now belongs to another VNIC.  Idempotent.
        """

    @abc.abstractmethod
    def leases(self, network_id: str) -> list[Lease]:
        """The leases the network's DHCP server should start with.

        Read-only.  Returns an empty list for an unknown network.
        """
