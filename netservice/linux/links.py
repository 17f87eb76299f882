"""Links: bridges, VLANs, VXLANs, veth pairs, addresses and routes.

``Links`` holds the logic (what to create, what to check, what to move) and
speaks to the kernel through a small ``NetlinkBackend``: ``PyRoute2Backend``
for the real kernel (``netservice.linux.netlink``), or the in-memory
``MemoryBackend``/``DryRunBackend`` (``netservice.linux.memory``) for dry runs
and unit tests.  Every ``ensure_*`` is idempotent (a second call makes no
netlink request that changes anything) and every ``remove_*`` succeeds when
the thing is already gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import netaddr

from netservice.core.exceptions import Conflict, InvalidInput
from netservice.linux import exceptions, validate
from netservice.linux.linktypes import (
    EADDRNOTAVAIL,
    EEXIST,
    EOPNOTSUPP,
    ESRCH,
    Address,
    Link,
    NetlinkBackend,
    NetlinkFailure,
    Route,
)

LOG = logging.getLogger(__name__)

VXLAN_PORT = 4789  # IANA's port; the kernel's own default (8472) predates it


class Links:
    """Idempotent link operations in one namespace.

    ``backend_for`` opens a backend for another namespace; it is needed only
    for veth pairs whose peer lives elsewhere.
    """

    def __init__(
        self,
        backend: NetlinkBackend,
        backend_for: Callable[[str], NetlinkBackend] | None = None,
    ) -> None:
        self.backend = backend
        self._backend_for = backend_for
        self._others: dict[str, NetlinkBackend] = {}

    @property
    def namespace(self) -> str:
        return self.backend.namespace

    def close(self) -> None:
        """Release the netlink sockets; the object is unusable afterwards."""
        for other in self._others.values():
            other.close()
        self._others.clear()
        self.backend.close()

    # --- namespaces ------------------------------------------------------

    def ensure_namespace(self, name: str) -> None:
        """Create the named namespace (``/run/netns/<name>``) unless it exists."""
        validate.token(name, "namespace")
        if not self.backend.namespace_exists(name):
            self.backend.add_namespace(name)

    def remove_namespace(self, name: str) -> None:
        """Delete the named namespace and, with it, every link inside it."""
        validate.token(name, "namespace")
        backend = self._others.pop(name, None)
        if backend is not None:
            backend.close()
        if self.backend.namespace_exists(name):
            self.backend.del_namespace(name)

    # --- generic ----------------------------------------------------------

    def get(self, ifname: str) -> Link | None:
        """The link named ``ifname`` in this namespace, or None."""
        return self.backend.get_link(validate.ifname(ifname))

    def require(self, ifname: str, field: str = "interface") -> Link:
        """The link named ``ifname``; raises LinkNotFound when absent."""
        link = self.backend.get_link(validate.ifname(ifname, field))
        if link is None:
            where = f" in namespace {self.namespace}" if self.namespace else ""
            raise exceptions.LinkNotFound(ifname=ifname, where=where)
        return link

    def remove_link(self, ifname: str) -> None:
        """Delete ``ifname`` (a veth takes its peer with it); absent is fine."""
        if self.get(ifname) is not None:
            self._call("delete", ifname, self.backend.del_link, ifname)

    def set_up(self, ifname: str, mtu: int | None = None, mac: str | None = None) -> None:
        """Bring ``ifname`` up, with the MTU and MAC given, changing only what differs."""
        link = self.require(ifname)
        attrs: dict[str, Any] = {}
        if mtu is not None and link.mtu != validate.mtu(mtu):
            attrs["mtu"] = mtu
        if mac is not None and link.mac != validate.mac(mac):
            attrs["address"] = validate.mac(mac)
        if not link.up:
            attrs["state"] = "up"
        if attrs:
            self._call("set", ifname, self.backend.set_link, ifname, **attrs)

    def ensure_address(self, ifname: str, address: str, first: bool = False) -> None:
        """Put ``address`` (``10.0.0.1/24``) on ``ifname``.

        With ``first``, it must be the first IPv4 address of the link (the one
        the kernel uses as source): the others are removed and added back after
        it, as nova's ``initialize_gateway_device`` did.
        """
        net = validate.interface_address(address)
        want = Address(str(net.ip), net.prefixlen)
        self.require(ifname)
        if not first:
            # Add and accept EEXIST rather than list the link's addresses
            # first: a public interface carries one /32 per floating IP, and
            # listing 10,000 of them would make every bind cost O(n).
            self._call("addr add", ifname, self.backend.add_address, ifname, want, ok=(EEXIST,))
            return
        current = self.backend.addresses(ifname)
        if current and current[0] == want:
            return
        routes = self.backend.gateway_routes(ifname)
        for addr in current:
            self._call("addr del", ifname, self.backend.del_address, ifname, addr)
        self._call("addr add", ifname, self.backend.add_address, ifname, want)
        for addr in current:
            if addr != want:
                self._call("addr add", ifname, self.backend.add_address, ifname, addr)
        self._restore_routes(ifname, routes)

    def remove_address(self, ifname: str, address: str) -> None:
        """Take ``address`` off ``ifname``; an absent address or link is fine."""
        net = validate.interface_address(address)
        gone = Address(str(net.ip), net.prefixlen)
        if self.get(ifname) is not None:
            self._call(
                "addr del", ifname, self.backend.del_address, ifname, gone, ok=(EADDRNOTAVAIL,)
            )

    def ensure_local_address(self, ifname: str, address: str) -> None:
        """Make the host own ``address`` on ``ifname`` with a ``local`` route.

        The host then answers ARP for it and accepts its packets, as with an
        interface address.  Floating IPs use this instead of a /32 address
        because the kernel walks an interface's whole address list on every
        address add (measured: 0.17 ms with 10 addresses, 1.35 ms with
        10,000), while a route in the local table's trie costs the same
        whatever the count (0.22 ms).  Idempotent.
        """
        ip = validate.ipv4(address, "address")
        self.require(ifname)
        self._call(
            "route add local", ifname, self.backend.add_local_route, ifname, ip, ok=(EEXIST,)
        )

    def remove_local_address(self, ifname: str, address: str) -> None:
        """Undo ``ensure_local_address``; an absent route or link is fine."""
        ip = validate.ipv4(address, "address")
        if self.get(ifname) is not None:
            self._call(
                "route del local", ifname, self.backend.del_local_route, ifname, ip, ok=(ESRCH,)
            )

    def ensure_default_route(self, ifname: str, gateway: str) -> None:
        """A default route via ``gateway`` out of ``ifname``."""
        route = Route("0.0.0.0/0", validate.ipv4(gateway, "gateway"))
        if route not in self.backend.gateway_routes(self.require(ifname).ifname):
            self._call("route add", ifname, self.backend.add_route, ifname, route)

    # --- bridges ------------------------------------------------------------

    def ensure_bridge(
        self,
        bridge: str,
        interface: str | None = None,
        gateway_address: str | None = None,
        mtu: int | None = None,
    ) -> Link:
        """Create ``bridge`` (forward delay 0, STP off) and bring it up.

        Called by the network host for each network and by compute hosts for
        each bridge an instance plugs into.  With ``interface``, that link is
        enslaved and its IPv4 addresses and gateway routes move onto the
        bridge.  With ``gateway_address`` (``dhcp_server/prefix``) that
        address is made the bridge's first, and IPv4 forwarding is enabled.
        Idempotent.  Raises InvalidInput, LinkNotFound, Conflict (a non-bridge
        holds the name) or LinkError.  Returns the bridge.
        """
        validate.ifname(bridge, "bridge")
        link = self.backend.get_link(bridge)
        if link is None:
            self._call(
                "add", bridge, self.backend.add_link, bridge, "bridge",
                br_forward_delay=0, br_stp_state=0,
            )  # fmt: skip
        elif link.kind != "bridge":
            raise Conflict(reason=f"{bridge} exists and is a {link.kind or 'plain'} link")
        else:
            fix: dict[str, Any] = {
                key: 0
                for key, attr in (
                    ("br_forward_delay", "IFLA_BR_FORWARD_DELAY"),
                    ("br_stp_state", "IFLA_BR_STP_STATE"),
                )
                if link.data.get(attr, 0) != 0
            }
            if fix:
                self._call("set", bridge, self.backend.set_link, bridge, kind="bridge", **fix)
        if interface is not None:
            self._enslave(bridge, interface, mtu)
        self.set_up(bridge, mtu=mtu)
        if gateway_address is not None:
            self.ensure_address(bridge, gateway_address, first=True)
            self.backend.set_ip_forward()
        return self.require(bridge)

    def _enslave(self, bridge: str, interface: str, mtu: int | None) -> None:
        master = self.require(bridge, "bridge")
        port = self.require(interface, "interface")
        if port.master != master.index:
            routes = self.backend.gateway_routes(interface)
            addresses = self.backend.addresses(interface)
            self._call("set", interface, self.backend.set_link, interface, master=bridge)
            # The kernel drops routes through an address that goes away, so
            # routes are read first and put back once the addresses moved.
            for addr in addresses:
                self._call("addr del", interface, self.backend.del_address, interface, addr)
                if addr not in self.backend.addresses(bridge):
                    self._call("addr add", bridge, self.backend.add_address, bridge, addr)
            self.set_up(bridge)
            self._restore_routes(bridge, routes)
        self.set_up(interface, mtu=mtu)

    def _restore_routes(self, ifname: str, routes: list[Route]) -> None:
        present = self.backend.gateway_routes(ifname)
        for route in routes:
            if route not in present:
                self._call("route add", ifname, self.backend.add_route, ifname, route)

    def remove_bridge(self, bridge: str) -> None:
        """Delete ``bridge``; its ports are released, not deleted.  Absent is fine."""
        self.remove_link(validate.ifname(bridge, "bridge"))

    # --- VLAN -------------------------------------------------------------

    def ensure_vlan(self, vlan_id: int, interface: str, mtu: int | None = None) -> Link:
        """Create ``vlan<N>`` tagging ``vlan_id`` on ``interface`` and bring it up.

        Raises NoVlanSupport ("no 802.1q support in this kernel") when the
        kernel has no 8021q module, LinkNotFound when ``interface`` is missing,
        Conflict when ``vlan<N>`` exists with another id or lower device.
        """
        validate.vlan_id(vlan_id)
        name = f"vlan{vlan_id}"
        lower = self.require(interface, "interface")
        link = self.backend.get_link(name)
        if link is not None and (
            link.kind != "vlan"
            or link.data.get("IFLA_VLAN_ID") != vlan_id
            or link.link != lower.index
        ):
            raise Conflict(reason=f"{name} exists but is not VLAN {vlan_id} on {interface}")
        if link is None:
            try:
                self.backend.add_link(name, "vlan", link=lower.index, vlan_id=vlan_id)
            except NetlinkFailure as exc:
                if exc.errno == EOPNOTSUPP:
                    raise exceptions.NoVlanSupport(ifname=name, error=str(exc)) from exc
                raise exceptions.LinkError(op="add", ifname=name, error=str(exc)) from exc
        self.set_up(interface)
        self.set_up(name, mtu=mtu)
        return self.require(name)

    def ensure_vlan_bridge(
        self,
        vlan_id: int,
        interface: str,
        *,
        bridge: str | None = None,
        gateway_address: str | None = None,
        mtu: int | None = None,
    ) -> Link:
        """``vlan<N>`` on ``interface`` enslaved to ``bridge`` (default ``br<N>``).

        Both get ``mtu``.  Same errors as ``ensure_vlan`` and ``ensure_bridge``.
        """
        vlan = self.ensure_vlan(vlan_id, interface, mtu=mtu)
        return self.ensure_bridge(
            bridge or f"br{vlan_id}", vlan.ifname, gateway_address=gateway_address, mtu=mtu
        )

    # --- VXLAN ------------------------------------------------------------

    def ensure_vxlan(
        self,
        vni: int,
        local: str,
        dev: str,
        *,
        group: str | None = None,
        remote: str | None = None,
        ifname: str | None = None,
        port: int = VXLAN_PORT,
        mtu: int | None = None,
    ) -> Link:
        """A VXLAN device (default ``vxlan<vni>``) over the underlay ``dev``.

        Exactly one of ``group`` (multicast) or ``remote`` (unicast peer).  A
        device that exists with other parameters is replaced, since the kernel
        does not change a VXLAN's id or endpoints in place.
        """
        validate.vni(vni)
        validate.port(port)
        name = validate.ifname(ifname or f"vxlan{vni}")
        local = validate.ipv4(local, "local")
        if (group is None) == (remote is None):
            raise InvalidInput(field="group/remote", reason="give exactly one")
        peer = validate.ipv4(group or remote or "", "group" if group else "remote")
        if group is not None and not netaddr.IPAddress(peer).is_multicast():
            raise InvalidInput(field="group", reason=f"{peer} is not multicast")
        if remote is not None and netaddr.IPAddress(peer).is_multicast():
            raise InvalidInput(field="remote", reason=f"{peer} is multicast")
        lower = self.require(dev, "dev")
        want = {
            "IFLA_VXLAN_ID": vni,
            "IFLA_VXLAN_LOCAL": local,
            "IFLA_VXLAN_GROUP": peer,
            "IFLA_VXLAN_PORT": port,
            "IFLA_VXLAN_LINK": lower.index,
        }
        link = self.backend.get_link(name)
        if link is not None and (
            link.kind != "vxlan" or any(link.data.get(k) != v for k, v in want.items())
        ):
            LOG.info("replacing %s: its VXLAN parameters changed", name)
            self._call("delete", name, self.backend.del_link, name)
            link = None
        if link is None:
            self._call(
                "add", name, self.backend.add_link, name, "vxlan",
                vxlan_id=vni, vxlan_local=local, vxlan_group=peer, vxlan_port=port,
                vxlan_link=lower.index, vxlan_learning=1,
            )  # fmt: skip
        self.set_up(name, mtu=mtu)
        return self.require(name)

    # --- veth -------------------------------------------------------------

    def ensure_veth(
        self,
        ifname: str,
        peer_ifname: str,
        *,
        peer_namespace: str | None = None,
        peer_mac: str | None = None,
        bridge: str | None = None,
        mtu: int | None = None,
    ) -> Link:
        """A veth pair: ``ifname`` here, ``peer_ifname`` in ``peer_namespace``.

        The peer gets ``peer_mac``; both ends come up; with ``bridge``, the
        local end is enslaved to it.  A half-present pair is rebuilt.  Raises
        InvalidInput, LinkNotFound (bridge or namespace) or LinkError.
        """
        validate.ifname(ifname)
        validate.ifname(peer_ifname, "peer_ifname")
        mac = validate.mac(peer_mac, "peer_mac") if peer_mac is not None else None
        peer_ns = peer_namespace if peer_namespace is not None else self.namespace
        if peer_ns and peer_ns != self.namespace and not self.backend.namespace_exists(peer_ns):
            raise exceptions.LinkNotFound(ifname=peer_ns, where=" (network namespace)")
        peer_side = self._peer_links(peer_ns)
        local = self.backend.get_link(ifname)
        peer = peer_side.backend.get_link(peer_ifname)
        if local is not None and (local.kind != "veth" or peer is None or peer.kind != "veth"):
            self._call("delete", ifname, self.backend.del_link, ifname)
            local = None
        if local is None:
            if peer is not None:
                peer_side.remove_link(peer_ifname)
            peer_attrs: dict[str, Any] = {"ifname": peer_ifname}
            if peer_ns != self.namespace:
                peer_attrs["net_ns_fd"] = peer_ns
            if mac is not None:
                peer_attrs["address"] = mac
            self._call("add", ifname, self.backend.add_link, ifname, "veth", peer=peer_attrs)
        peer_side.set_up(peer_ifname, mtu=mtu, mac=mac)
        if bridge is not None:
            self._enslave(bridge, ifname, mtu)
        else:
            self.set_up(ifname, mtu=mtu)
        return self.require(ifname)

    def _peer_links(self, namespace: str) -> Links:
        if namespace == self.namespace:
            return self
        if namespace not in self._others:
            if self._backend_for is None:
                raise exceptions.LinkError(
                    op="open", ifname=namespace, error="no backend for other namespaces"
                )
            self._others[namespace] = self._backend_for(namespace)
        return Links(self._others[namespace], self._backend_for)

    def remove_veth(self, ifname: str) -> None:
        """Delete a veth pair by its local end; absent is fine."""
        self.remove_link(ifname)

    # --- helpers --------------------------------------------------------------

    def _call(
        self,
        op: str,
        ifname: str,
        fn: Callable[..., None],
        *args: Any,
        ok: tuple[int, ...] = (),
        **kw: Any,
    ) -> None:
        """Call a backend primitive; errnos in ``ok`` mean "already so"."""
        try:
            fn(*args, **kw)
        except NetlinkFailure as exc:
            if exc.errno not in ok:
                raise exceptions.LinkError(op=op, ifname=ifname, error=str(exc)) from exc
