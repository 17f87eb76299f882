"""An in-memory ``NetlinkBackend``, and the dry-run twin built on it.

``MemoryBackend`` models just enough of the kernel (links, IPv4 addresses in
order, gateway routes, namespaces) for ``Links`` to make the same decisions
it makes against the real kernel.  ``DryRunBackend`` prints every mutating
netlink request it receives, so a dry run shows exactly what would change and
a second identical call prints nothing, as the real one changes nothing.
Unit tests use ``MemoryBackend`` as their fake kernel.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from typing import Any, TextIO

from netservice.linux.linktypes import Address, Link, NetlinkFailure, Route

_EEXIST, _ENODEV, _EOPNOTSUPP = 17, 19, 95
_DATA_KEYS = {
    "br_forward_delay": "IFLA_BR_FORWARD_DELAY",
    "br_stp_state": "IFLA_BR_STP_STATE",
    "vlan_id": "IFLA_VLAN_ID",
    "vxlan_id": "IFLA_VXLAN_ID",
    "vxlan_local": "IFLA_VXLAN_LOCAL",
    "vxlan_group": "IFLA_VXLAN_GROUP",
    "vxlan_port": "IFLA_VXLAN_PORT",
    "vxlan_link": "IFLA_VXLAN_LINK",
}


class World:
    """The namespaces a set of MemoryBackends share (veth peers cross them)."""

    def __init__(self, kernel_kinds: frozenset[str] | None = None) -> None:
        self.namespaces: dict[str, dict[str, Link]] = {}
        self.addresses: dict[tuple[str, str], list[Address]] = {}
        self.routes: dict[tuple[str, str], list[Route]] = {}
        self.local_routes: dict[tuple[str, str], set[str]] = {}
        self.kinds = kernel_kinds or frozenset({"bridge", "veth", "vxlan", "vlan", "dummy"})
        self.ip_forward: set[str] = set()
        self.peers: dict[tuple[str, str], tuple[str, str]] = {}
        self._index = itertools.count(2)
        self.ensure_namespace("", up=True)

    def next_index(self) -> int:
        return next(self._index)

    def ensure_namespace(self, name: str, *, up: bool) -> dict[str, Link]:
        """The namespace's links; a new one holds a loopback device, as in the kernel.

        ``up``: whether that ``lo`` is up (a namespace the dry run models
        stands for one that exists, whose ``lo`` is up; a freshly added one's
        is down).
        """
        if name not in self.namespaces:
            lo = Link(self.next_index(), "lo", None, "00:00:00:00:00:00", 65536, up)
            self.namespaces[name] = {"lo": lo}
        return self.namespaces[name]


class MemoryBackend:
    """A fake kernel in one namespace of a ``World``."""

    def __init__(self, namespace: str = "", world: World | None = None) -> None:
        self.namespace = namespace
        self.world = world if world is not None else World()
        self.world.ensure_namespace(namespace, up=True)

    def close(self) -> None:
        """Nothing to release."""

    def for_namespace(self, namespace: str) -> MemoryBackend:
        """A backend of the same class and world in another namespace."""
        return type(self)(namespace, self.world, **self._clone_kwargs())

    def _clone_kwargs(self) -> dict[str, Any]:
        return {}

    @property
    def _links(self) -> dict[str, Link]:
        try:
            return self.world.namespaces[self.namespace]
        except KeyError:
            raise NetlinkFailure(2, f"namespace {self.namespace} does not exist") from None

    def get_link(self, ifname: str) -> Link | None:
        return self._links.get(ifname)

    def get_link_by_index(self, index: int) -> Link | None:
        return next((link for link in self._links.values() if link.index == index), None)

    def add_link(self, ifname: str, kind: str, **attrs: Any) -> None:
        if ifname in self._links:
            raise NetlinkFailure(_EEXIST, "File exists")
        if kind not in self.world.kinds:
            raise NetlinkFailure(_EOPNOTSUPP, "Operation not supported")
        peer = attrs.pop("peer", None)
        link = attrs.pop("link", None) or attrs.get("vxlan_link")
        data = {_DATA_KEYS[k]: v for k, v in attrs.items() if k in _DATA_KEYS}
        self._links[ifname] = Link(
            self.world.next_index(), ifname, kind, _mac(), 1500, False, link=link, data=data
        )
        if peer is not None:
            where = peer.get("net_ns_fd", self.namespace)
            links = self.world.namespaces[where]
            links[peer["ifname"]] = Link(
                self.world.next_index(), peer["ifname"], kind, peer.get("address") or _mac(),
                1500, False,
            )  # fmt: skip
            # Deleting either end deletes both, as the kernel does.
            self.world.peers[(self.namespace, ifname)] = (where, peer["ifname"])

    def set_link(self, ifname: str, **attrs: Any) -> None:
        link = self._require(ifname)
        changes: dict[str, Any] = {}
        data = dict(link.data)
        for key, value in attrs.items():
            if key == "state":
                changes["up"] = value == "up"
            elif key == "mtu":
                changes["mtu"] = value
            elif key == "address":
                changes["mac"] = value
            elif key == "master":
                changes["master"] = self._require(value).index
            elif key in _DATA_KEYS:
                data[_DATA_KEYS[key]] = value
        self._links[ifname] = dataclasses.replace(link, data=data, **changes)

    def del_link(self, ifname: str) -> None:
        link = self._require(ifname)
        del self._links[ifname]
        for ns, name in self._pair_of(self.namespace, ifname):
            self.world.namespaces.get(ns, {}).pop(name, None)
        self.world.addresses.pop((self.namespace, ifname), None)
        self.world.routes.pop((self.namespace, ifname), None)
        for name, other in list(self._links.items()):
            if other.master == link.index:
                self._links[name] = dataclasses.replace(other, master=None)

    def _pair_of(self, ns: str, ifname: str) -> list[tuple[str, str]]:
        found = []
        for a, b in list(self.world.peers.items()):
            if a == (ns, ifname) or b == (ns, ifname):
                found.append(b if a == (ns, ifname) else a)
                del self.world.peers[a]
        return found

    def addresses(self, ifname: str) -> list[Address]:
        self._require(ifname)
        return list(self.world.addresses.get((self.namespace, ifname), []))

    def add_address(self, ifname: str, address: Address) -> None:
        current = self.world.addresses.setdefault(
            (self.namespace, self._require(ifname).ifname), []
        )
        if address in current:
            raise NetlinkFailure(_EEXIST, "File exists")
        current.append(address)

    def del_address(self, ifname: str, address: Address) -> None:
        current = self.world.addresses.get((self.namespace, ifname), [])
        if address not in current:
            raise NetlinkFailure(99, "Cannot assign requested address")
        current.remove(address)
        # The kernel drops routes whose gateway is no longer reachable.
        self.world.routes.pop((self.namespace, ifname), None)

    def gateway_routes(self, ifname: str) -> list[Route]:
        self._require(ifname)
        return list(self.world.routes.get((self.namespace, ifname), []))

    def add_route(self, ifname: str, route: Route) -> None:
        current = self.world.routes.setdefault((self.namespace, self._require(ifname).ifname), [])
        if route in current:
            raise NetlinkFailure(_EEXIST, "File exists")
        current.append(route)

    def del_route(self, ifname: str, route: Route) -> None:
        current = self.world.routes.get((self.namespace, ifname), [])
        if route not in current:
            raise NetlinkFailure(3, "No such process")
        current.remove(route)

    def add_local_route(self, ifname: str, address: str) -> None:
        current = self.world.local_routes.setdefault(
            (self.namespace, self._require(ifname).ifname), set()
        )
        if address in current:
            raise NetlinkFailure(_EEXIST, "File exists")
        current.add(address)

    def del_local_route(self, ifname: str, address: str) -> None:
        current = self.world.local_routes.get((self.namespace, ifname), set())
        if address not in current:
            raise NetlinkFailure(3, "No such process")
        current.remove(address)

    def namespace_exists(self, name: str) -> bool:
        return name in self.world.namespaces

    def add_namespace(self, name: str) -> None:
        if name in self.world.namespaces:
            raise NetlinkFailure(_EEXIST, "File exists")
        self.world.ensure_namespace(name, up=False)

    def del_namespace(self, name: str) -> None:
        self.world.namespaces.pop(name)

    def set_ip_forward(self) -> None:
        self.world.ip_forward.add(self.namespace)

    def _require(self, ifname: str) -> Link:
        link = self._links.get(ifname)
        if link is None:
            raise NetlinkFailure(_ENODEV, "No such device")
        return link


_MACS = itertools.count(1)


def _mac() -> str:
    n = next(_MACS)
    return f"02:00:00:{(n >> 16) & 0xFF:02x}:{(n >> 8) & 0xFF:02x}:{n & 0xFF:02x}"


class DryRunBackend(MemoryBackend):
    """Prints each netlink change, then applies it to the in-memory model."""

    def __init__(
        self, namespace: str = "", world: World | None = None, out: TextIO | None = None
    ) -> None:
        super().__init__(namespace, world)
        self.out = out if out is not None else sys.stdout

    def _clone_kwargs(self) -> dict[str, Any]:
        return {"out": self.out}

    def _print(self, text: str) -> None:
        where = f"[{self.namespace}]" if self.namespace else ""
        print(f"netlink{where}: {text}", file=self.out)

    def add_link(self, ifname: str, kind: str, **attrs: Any) -> None:
        self._print(f"link add ifname={ifname} kind={kind}{_fmt(attrs)}")
        super().add_link(ifname, kind, **attrs)

    def set_link(self, ifname: str, **attrs: Any) -> None:
        self._print(f"link set ifname={ifname}{_fmt(attrs)}")
        super().set_link(ifname, **attrs)

    def del_link(self, ifname: str) -> None:
        self._print(f"link del ifname={ifname}")
        super().del_link(ifname)

    def add_address(self, ifname: str, address: Address) -> None:
        super().add_address(ifname, address)  # raises, printing nothing, if present
        self._print(f"addr add dev={ifname} address={address}")

    def del_address(self, ifname: str, address: Address) -> None:
        super().del_address(ifname, address)  # raises, printing nothing, if absent
        self._print(f"addr del dev={ifname} address={address}")

    def add_route(self, ifname: str, route: Route) -> None:
        self._print(f"route add dst={route.dst} gateway={route.gateway} oif={ifname}")
        super().add_route(ifname, route)

    def del_route(self, ifname: str, route: Route) -> None:
        self._print(f"route del dst={route.dst} gateway={route.gateway} oif={ifname}")
        super().del_route(ifname, route)

    def add_local_route(self, ifname: str, address: str) -> None:
        super().add_local_route(ifname, address)  # raises, printing nothing, if present
        self._print(f"route add local {address}/32 dev={ifname} table=local")

    def del_local_route(self, ifname: str, address: str) -> None:
        super().del_local_route(ifname, address)  # raises, printing nothing, if absent
        self._print(f"route del local {address}/32 dev={ifname} table=local")

    def add_namespace(self, name: str) -> None:
        self._print(f"netns add {name}")
        super().add_namespace(name)

    def del_namespace(self, name: str) -> None:
        self._print(f"netns del {name}")
        super().del_namespace(name)

    def set_ip_forward(self) -> None:
        if self.namespace not in self.world.ip_forward:
            self._print("sysctl net.ipv4.ip_forward=1")
        super().set_ip_forward()


def _fmt(attrs: dict[str, Any]) -> str:
    return "".join(f" {key}={value}" for key, value in sorted(attrs.items()))
