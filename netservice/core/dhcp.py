"""The DHCP lease callbacks: what ``netservice-dhcpbridge`` calls in a plugin.

dnsmasq runs ``--dhcp-script`` on every lease event.  The script finds the
owning plugin from its environment and calls the handler the plugin returns
from ``get_dhcp_lease_handler()``.  Plugins without DHCP return ``None``.
"""

from __future__ import annotations

import abc
import dataclasses


@dataclasses.dataclass(frozen=True)
class Lease:
    """One current lease, as dnsmasq's ``init`` call wants it back."""

    expiry: int
    """Seconds since the epoch when the lease ends (0: never)."""
    mac: str
    ip: str
    hostname: str | None = None

    def as_init_line(self) -> str:
        """``<expiry> <mac> <ip> <hostname|*> *``, dnsmasq's lease-file format."""
        return f"{self.expiry} {self.mac} {self.ip} {self.hostname or '*'} *"


class DhcpLeaseHandler(abc.ABC):
    """Lease and release callbacks for one plugin's DHCP-served networks.

    Every method runs in the short-lived ``netservice-dhcpbridge`` process,
    once per dnsmasq event, and must return promptly: dnsmasq serialises its
    script calls.  None of them may raise for an unknown MAC or an address
    that is not allocated; they log a warning and return, because dnsmasq
    only logs the script's exit status and a crash would lose later events.
    """

    @abc.abstractmethod
    def lease(self, network_id: str, mac: str, ip: str, hostname: str | None) -> None:
        """Record that ``ip`` is leased to ``mac`` (dnsmasq ``add`` and ``old``).

        Idempotent: a repeated call only refreshes the lease time.
        """

    @abc.abstractmethod
    def release(self, network_id: str, mac: str, ip: str) -> None:
        """Record that the lease ended (dnsmasq ``del``).

        Frees the address when it is no longer allocated.  Ignored when the
        MAC now belongs to another VNIC.  Idempotent.
        """

    @abc.abstractmethod
    def leases(self, network_id: str) -> list[Lease]:
        """The leases dnsmasq should start with (dnsmasq ``init``).

        Returns an empty list for an unknown network.
        """
