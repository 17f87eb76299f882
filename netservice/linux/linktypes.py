"""The netlink vocabulary shared by ``Links`` and its backends.

``NetlinkBackend`` is the small set of primitives ``Links`` needs in one
namespace; ``PyRoute2Backend`` (``netservice.linux.netlink``) is the one real
implementation, ``MemoryBackend``/``DryRunBackend`` (``netservice.linux.memory``)
the in-memory ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Protocol


@dataclasses.dataclass(frozen=True)
class Link:
    """What the data plane needs to know about one network interface."""

    index: int
    ifname: str
    kind: str | None
    mac: str
    mtu: int
    up: bool
    master: int | None = None
    link: int | None = None
    """The lower device's index (VLAN, VXLAN) when in the same namespace."""
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """IFLA_INFO_DATA attributes by netlink name (IFLA_VXLAN_ID, ...)."""


@dataclasses.dataclass(frozen=True)
class Address:
    address: str
    prefixlen: int

    def __str__(self) -> str:
        return f"{self.address}/{self.prefixlen}"


@dataclasses.dataclass(frozen=True)
class Route:
    dst: str
    """``0.0.0.0/0`` for the default route."""
    gateway: str
    metric: int | None = None


class NetlinkBackend(Protocol):
    """The netlink primitives ``Links`` needs, in one namespace.

    Mutating calls raise ``NetlinkFailure`` with the kernel's errno.
    """

    namespace: str

    def get_link(self, ifname: str) -> Link | None: ...
    def get_link_by_index(self, index: int) -> Link | None: ...
    def add_link(self, ifname: str, kind: str, **attrs: Any) -> None: ...
    def set_link(self, ifname: str, **attrs: Any) -> None: ...
    def del_link(self, ifname: str) -> None: ...
    def addresses(self, ifname: str) -> list[Address]: ...
    def add_address(self, ifname: str, address: Address) -> None: ...
    def del_address(self, ifname: str, address: Address) -> None: ...
    def gateway_routes(self, ifname: str) -> list[Route]: ...
    def add_route(self, ifname: str, route: Route) -> None: ...
    def del_route(self, ifname: str, route: Route) -> None: ...
    def add_local_route(self, ifname: str, address: str) -> None: ...
    def del_local_route(self, ifname: str, address: str) -> None: ...
    def namespace_exists(self, name: str) -> bool: ...
    def add_namespace(self, name: str) -> None: ...
    def del_namespace(self, name: str) -> None: ...
    def set_ip_forward(self) -> None: ...
    def close(self) -> None: ...


class NetlinkFailure(Exception):
    """A backend's view of a refused netlink request."""

    def __init__(self, errno: int, message: str) -> None:
        super().__init__(f"[errno {errno}] {message}")
        self.errno = errno


ESRCH, EEXIST, EOPNOTSUPP, EADDRNOTAVAIL = 3, 17, 95, 99
