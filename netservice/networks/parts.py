"""The service-side parts a plugin on ``netservice.networks`` is assembled from.

Each is a Protocol: what the networks and VNIC services, the OS service
and the REST API ask of the part, with the contract every implementation
keeps.  ``netservice.networks.assembly`` builds a plugin from them; the
host-side parts (L2 links, the firewall driver, the DHCP driver) are in
``netservice.dhcp.parts`` and ``netservice.dhcp.driver``.

- ``Addressing``: the IPAM allocator (``netservice.ipam.allocator.Allocator``);
  a plugin without IP allocation has none (``Addressing | None``).
- ``FloatingIpsPart``: the optional floating IPs extra
  (``netservice.floating.service.FloatingIps``).
- ``VpnsPart``: the optional per-project VPN extra (VLAN's ``ProjectVpns``).
- ``PortExtra``: what a topology does around a port, on the VNIC service
  (FlatDHCP and VLAN: ``netservice.networks.port_floating.FloatingOnPorts``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa

from netservice.core.registry import Claim
from netservice.networks.domain import Network, Vnic
from netservice.networks.writes import Write


@runtime_checkable
class Addressing(Protocol):
    """Fixed IP allocation on one plugin's networks and fixed IPs tables.

    Every method runs in the caller's transaction (``conn``), which it
    never commits; a network's allocations are serialised by the network
    row's lock (``lock_network``), so concurrent callers on one network
    never hand out one address twice.  ``allocate`` raises
    NoMoreFixedIps (409) when the network is full, FixedIpAlreadyInUse
    or FixedIpNotFound for a wanted address it cannot give; the others
    raise nothing for an address that is already in the asked state.
    """

    def insert_network(
        self, conn: sa.Connection, values: dict[str, Any], reserved: Iterable[int]
    ) -> int:
        """Insert a planned network and its ``reserved`` addresses; returns the network's id."""
        ...

    def delete_network_rows(self, conn: sa.Connection, network_id: int) -> int:
        """Delete the network's fixed IP rows; returns how many."""
        ...

    def allocate(
        self,
        conn: sa.Connection,
        network_id: int,
        *,
        instance_id: str | None = None,
        vnic_id: str | None = None,
        address: str | None = None,
        host: str | None = None,
        locked: Any = None,
        reserved: bool = False,
    ) -> Any:
        """Allocate ``address``, or the longest-free address, or a never-used one."""
        ...

    def deallocate(
        self, conn: sa.Connection, network_id: int, address: str, *, free_now: bool
    ) -> bool:
        """Take ``address`` back: freed now (``free_now``, never leased) or held while leased."""
        ...

    def lease(self, conn: sa.Connection, network_id: int, address: str) -> bool:
        """Record that the DHCP server leased ``address``; False when it is not allocated."""
        ...

    def release(
        self, conn: sa.Connection, network_id: int, address: str, *, vnic_id: str | None = None
    ) -> bool:
        """Record that the lease ended; a deallocated address becomes free."""
        ...

    def free_expired(self, conn: sa.Connection, network_id: int, before: datetime.datetime) -> int:
        """Free the addresses deallocated before ``before`` and still held; returns how many."""
        ...


@runtime_checkable
class FloatingIpsPart(Protocol):
    """The floating IPs extra: public addresses a project holds and binds to fixed IPs.

    The REST API, the manage tool and the net-service use the full service
    (``netservice.floating.service.FloatingIps``); the assembly and the OS
    service need only this.  ``claims`` is read at start-up for the
    deployment-wide registry; ``get_floating_ips_by_project`` counts a
    project's resources (auto-assigned ones too).
    """

    def claims(self) -> list[Claim]:
        """What the live floating IPs claim in the registry, read now."""
        ...

    def get_floating_ips_by_project(self, project_id: str) -> Sequence[Any]:
        """The floating IPs ``project_id`` holds."""
        ...


class VpnView(Protocol):
    """One project's VPN as the OS service reports it."""

    @property
    def public_address(self) -> str | None: ...

    @property
    def public_port(self) -> int | None: ...


@runtime_checkable
class VpnsPart(Protocol):
    """The per-project VPN extra (nova's cloudpipe): a public address and port per project.

    ``get`` is read-only and raises ProjectHasNoNetwork (404) for a project
    without a network; the address is None when nothing gave one.
    """

    def get(self, project_id: str) -> VpnView:
        """The project's VPN."""
        ...


@runtime_checkable
class PortExtra(Protocol):
    """Something a topology does when a VNIC is bound to, or unbound from, a fixed IP.

    The VNIC service (``netservice.networks.vnics.Vnics``) calls its extras
    in the order the plugin lists them:

    - ``after_bind`` once a new binding has committed, outside any
      transaction.  A failure is the extra's own to log: the binding stays.
    - ``before_unbind`` inside the unbind's (or the VNIC delete's) write
      transaction, before the address is deallocated; raising rolls the
      whole unbind back.  It may take the network's row lock and then lock
      fixed and floating IP rows (``netservice.floating``'s lock order),
      nothing else.
    """

    def after_bind(self, vnic: Vnic, network: Network, address: str, host: str) -> None:
        """``vnic`` was bound to ``address`` on ``network`` for compute host ``host``."""
        ...

    def before_unbind(self, write: Write, network_id: int, address: str) -> None:
        """``address`` of network ``network_id`` is about to be deallocated in ``write``."""
        ...
