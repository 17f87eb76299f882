"""Links: bridges, VLANs, VXLANs, veth pairs, addresses and routes.

``Links`` holds the logic (what to create, what to check, what to move) and
speaks to the kernel through a small ``NetlinkBackend``: ``PyRoute2Backend``
for the real kernel (``netservice.linux.netlink``), or the in-memory
``MemoryBackend``/``DryRunBackend`` (``netservice.linux.memory``) for dry runs
and unit tests.  Every ``ensure_*`` is idempotent (a second call makes no
netlink request that changes anything) and every ``remove_*`` succeeds when
the thing is already gone.

The plain-link half (namespaces, addresses, routes and bridges) lives in
``netservice.linux.linkbase``; this module adds VLAN, VXLAN and veth devices.
"""

from __future__ import annotations

import logging
from typing import Any

import netaddr

from netservice.core.exceptions import Conflict, InvalidInput
from netservice.linux import exceptions, validate
from netservice.linux.linkbase import LinkBase
from netservice.linux.linktypes import EOPNOTSUPP, Link, NetlinkFailure

LOG = logging.getLogger(__name__)

VXLAN_PORT = 4789  # IANA's port; the kernel's own default (8472) predates it


class Links(LinkBase):
    """Idempotent link operations in one namespace.

    ``backend_for`` opens a backend for another namespace; it is needed only
    for veth pairs whose peer lives elsewhere.
    """

    # --- VLAN -------------------------------------------------------------

    def ensure_vlan(
        self,
        vlan_id: int,
        interface: str,
        mtu: int | None = None,
        *,
        ifname: str | None = None,
    ) -> Link:
        """Create ``ifname`` (default ``vlan<N>``) tagging ``vlan_id`` on ``interface``, up.

        Raises NoVlanSupport ("no 802.1q support in this kernel") when the
        kernel has no 8021q module, LinkNotFound when ``interface`` is missing,
        Conflict when the device exists with another id or lower device.
        """
        validate.vlan_id(vlan_id)
        name = validate.ifname(ifname or f"vlan{vlan_id}")
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
        ifname: str | None = None,
    ) -> Link:
        """``ifname`` (default ``vlan<N>``) on ``interface``, enslaved to ``bridge`` (``br<N>``).

        Both get ``mtu``.  Same errors as ``ensure_vlan`` and ``ensure_bridge``.
        """
        vlan = self.ensure_vlan(vlan_id, interface, mtu=mtu, ifname=ifname)
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
