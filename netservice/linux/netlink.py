"""The one real ``NetlinkBackend``: pyroute2 against the running kernel.

``IPRoute(netns=...)`` opens its socket inside the named namespace (pyroute2
does that in a helper process), so this process never calls ``setns()`` and
other threads keep their own namespace.  Nothing here parses ``ip`` output.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pyroute2 import IPRoute, netns
from pyroute2.netlink.exceptions import NetlinkError

from netservice.linux import process
from netservice.linux.linktypes import Address, Link, NetlinkFailure, Route

LOG = logging.getLogger(__name__)

_AF_INET = 2
_MAIN_TABLE = 254
_LOCAL_TABLE = 255
_RTN_LOCAL = 2
_SCOPE_HOST = 254
_IFF_UP = 1


class PyRoute2Backend:
    """Netlink in one namespace ("" is this process's own)."""

    def __init__(self, namespace: str = "") -> None:
        self.namespace = namespace
        self._ipr = IPRoute(netns=namespace) if namespace else IPRoute()

    def close(self) -> None:
        self._ipr.close()

    # --- links ----------------------------------------------------------------

    def get_link(self, ifname: str) -> Link | None:
        try:
            msgs = self._ipr.link("get", ifname=ifname)
        except NetlinkError as exc:
            if exc.code == 19:  # ENODEV
                return None
            raise NetlinkFailure(exc.code, str(exc)) from exc
        return _to_link(msgs[0])

    def get_link_by_index(self, index: int) -> Link | None:
        try:
            return _to_link(self._ipr.link("get", index=index)[0])
        except NetlinkError as exc:
            if exc.code == 19:
                return None
            raise NetlinkFailure(exc.code, str(exc)) from exc

    def add_link(self, ifname: str, kind: str, **attrs: Any) -> None:
        self._do(self._ipr.link, "add", ifname=ifname, kind=kind, **attrs)

    def set_link(self, ifname: str, **attrs: Any) -> None:
        if "master" in attrs:
            attrs["master"] = self._index(attrs["master"])
        self._do(self._ipr.link, "set", index=self._index(ifname), **attrs)

    def del_link(self, ifname: str) -> None:
        self._do(self._ipr.link, "del", index=self._index(ifname))

    # --- addresses and routes ----------------------------------------------

    def addresses(self, ifname: str) -> list[Address]:
        index = self._index(ifname)
        return [
            Address(msg.get("IFA_ADDRESS"), msg["prefixlen"])
            for msg in self._ipr.addr("dump", index=index, family=_AF_INET)
            if msg["index"] == index and msg["family"] == _AF_INET
        ]

    def add_address(self, ifname: str, address: Address) -> None:
        self._do(
            self._ipr.addr,
            "add",
            index=self._index(ifname),
            address=address.address,
            prefixlen=address.prefixlen,
        )

    def del_address(self, ifname: str, address: Address) -> None:
        self._do(
            self._ipr.addr,
            "del",
            index=self._index(ifname),
            address=address.address,
            prefixlen=address.prefixlen,
        )

    def gateway_routes(self, ifname: str) -> list[Route]:
        index = self._index(ifname)
        routes = []
        for msg in self._ipr.route("dump", family=_AF_INET, table=_MAIN_TABLE):
            gateway = msg.get("RTA_GATEWAY")
            if gateway is None or msg.get("RTA_OIF") != index:
                continue
            dst = msg.get("RTA_DST") or "0.0.0.0"  # noqa: S104 (a route, not a bind)
            routes.append(Route(f"{dst}/{msg['dst_len']}", gateway, msg.get("RTA_PRIORITY")))
        return routes

    def add_route(self, ifname: str, route: Route) -> None:
        extra = {"priority": route.metric} if route.metric is not None else {}
        self._do(
            self._ipr.route,
            "add",
            dst=route.dst,
            gateway=route.gateway,
            oif=self._index(ifname),
            **extra,
        )

    def del_route(self, ifname: str, route: Route) -> None:
        self._do(
            self._ipr.route, "del", dst=route.dst, gateway=route.gateway, oif=self._index(ifname)
        )

    def add_local_route(self, ifname: str, address: str) -> None:
        self._do(self._ipr.route, "add", **self._local(ifname, address))

    def del_local_route(self, ifname: str, address: str) -> None:
        self._do(self._ipr.route, "del", **self._local(ifname, address))

    def _local(self, ifname: str, address: str) -> dict[str, Any]:
        # What ``ip route add local A/32 dev X table local`` sends.
        return {
            "dst": address,
            "dst_len": 32,
            "type": _RTN_LOCAL,
            "table": _LOCAL_TABLE,
            "scope": _SCOPE_HOST,
            "oif": self._index(ifname),
        }

    # --- namespaces and sysctl --------------------------------------------

    def namespace_exists(self, name: str) -> bool:
        return name in netns.listnetns()

    def add_namespace(self, name: str) -> None:
        netns.create(name)

    def del_namespace(self, name: str) -> None:
        netns.remove(name)

    def set_ip_forward(self) -> None:
        if not self.namespace:
            Path("/proc/sys/net/ipv4/ip_forward").write_text("1\n")
            return
        # /proc/sys/net belongs to the namespace of the process that opens
        # it, so the write happens in a process started inside.
        process.Runner(self.namespace).run(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])

    # --- helpers ------------------------------------------------------------

    def _index(self, ifname: str) -> int:
        found = self._ipr.link_lookup(ifname=ifname)
        if not found:
            raise NetlinkFailure(19, f"no such device {ifname}")
        return int(found[0])

    @staticmethod
    def _do(fn: Any, *args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except NetlinkError as exc:
            raise NetlinkFailure(exc.code, str(exc)) from exc


def _to_link(msg: Any) -> Link:
    info = msg.get("IFLA_LINKINFO")
    kind = info.get("IFLA_INFO_KIND") if info is not None else None
    data: dict[str, Any] = {}
    if info is not None and info.get("IFLA_INFO_DATA") is not None:
        for name, value in info.get("IFLA_INFO_DATA")["attrs"]:
            if name != "UNKNOWN":
                data[name] = value
    return Link(
        index=msg["index"],
        ifname=msg.get("IFLA_IFNAME"),
        kind=kind,
        mac=msg.get("IFLA_ADDRESS"),
        mtu=msg.get("IFLA_MTU"),
        up=bool(msg["flags"] & _IFF_UP),
        master=msg.get("IFLA_MASTER"),
        link=msg.get("IFLA_LINK") if msg.get("IFLA_LINK_NETNSID") is None else None,
        data=data,
    )
