"""Stand-in instances: a namespace per instance, wired as libvirt would.

Given the ``<interface type='bridge'>`` XML the net agent produces for
libvirt, ``StandIns.create`` makes a namespace with one veth per interface:
the instance end is named ``eth0``, ``eth1``... in document order and
carries the interface's MAC; the host end (the XML's ``<target dev>``, or
``tap`` + the MAC's last bytes) is enslaved to the ``<source bridge>``.
``dhcp`` runs busybox ``udhcpc`` inside and configures what it obtained.
Used by the functional tests, the benchmark and the demo.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from defusedxml import ElementTree

from netservice.core.exceptions import InvalidInput
from netservice.linux import exceptions, process, validate
from netservice.linux.links import Links

LOG = logging.getLogger(__name__)

# udhcpc runs this on each event with the lease in its environment; it only
# reports, and the harness applies the result through netlink.
_UDHCPC_SCRIPT = """#!/bin/sh
echo "netservice-udhcpc event=$1 ip=$ip mask=$mask subnet=$subnet router=$router"
"""


@dataclasses.dataclass(frozen=True)
class Vnic:
    """One ``<interface>`` of the domain XML."""

    mac: str
    bridge: str
    host_ifname: str
    model: str | None = None


@dataclasses.dataclass(frozen=True)
class DhcpLease:
    ip: str
    prefixlen: int
    router: str | None


@dataclasses.dataclass(frozen=True)
class StandIn:
    namespace: str
    vnics: tuple[Vnic, ...]

    def ifname(self, position: int) -> str:
        return f"eth{position}"


def parse_interfaces(xml: str) -> list[Vnic]:
    """The bridge interfaces in ``xml`` (one ``<interface>`` or any element holding some).

    Parsed with defusedxml.  Raises InvalidInput naming what is missing.
    """
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InvalidInput(field="xml", reason=f"not well-formed: {exc}") from exc
    elements = [root] if root.tag == "interface" else list(root.iter("interface"))
    if not elements:
        raise InvalidInput(field="xml", reason="no <interface> element")
    vnics = []
    for element in elements:
        if element.get("type") != "bridge":
            raise InvalidInput(field="xml", reason="only <interface type='bridge'> is supported")
        mac = element.find("mac")
        source = element.find("source")
        if mac is None or not mac.get("address"):
            raise InvalidInput(field="xml", reason="<interface> lacks <mac address=...>")
        if source is None or not source.get("bridge"):
            raise InvalidInput(field="xml", reason="<interface> lacks <source bridge=...>")
        address = validate.mac(mac.get("address", ""), "mac address")
        target = element.find("target")
        host = target.get("dev") if target is not None and target.get("dev") else None
        model = element.find("model")
        vnics.append(
            Vnic(
                mac=address,
                bridge=validate.ifname(source.get("bridge", ""), "source bridge"),
                host_ifname=validate.ifname(host or "tap" + address.replace(":", "")[-8:]),
                model=model.get("type") if model is not None else None,
            )
        )
    return vnics


class StandIns:
    """Creates, configures and removes stand-in instances.

    ``links`` works in the namespace holding the bridges (the "host");
    ``links_for(ns)`` and ``runner_for(ns)`` give netlink and programs inside
    an instance namespace.
    """

    def __init__(
        self,
        links: Links,
        links_for: Callable[[str], Links],
        runner_for: Callable[[str], process.Runner] = process.Runner,
    ) -> None:
        self.links = links
        self.links_for = links_for
        self.runner_for = runner_for

    def create(self, name: str, xml: str) -> StandIn:
        """Make namespace ``name`` and plug one veth per interface in ``xml``.

        Idempotent.  Raises InvalidInput (XML, names), LinkNotFound (a
        bridge is missing) or LinkError.
        """
        vnics = tuple(parse_interfaces(xml))
        self.links.ensure_namespace(name)
        for position, vnic in enumerate(vnics):
            self.links.require(vnic.bridge, "source bridge")
            self.links.ensure_veth(
                vnic.host_ifname,
                f"eth{position}",
                peer_namespace=name,
                peer_mac=vnic.mac,
                bridge=vnic.bridge,
            )
        inside = self.links_for(name)
        try:
            inside.set_up("lo")
        finally:
            inside.close()
        return StandIn(name, vnics)

    def dhcp(self, standin: StandIn, position: int = 0, attempts: int = 3) -> DhcpLease:
        """Run ``udhcpc`` on ``eth<position>``; configure and return the lease.

        The first NIC also gets the default route through the lease's router.

        Raises BinaryNotFound (package udhcpc) or CommandFailed when no lease
        came within ``attempts`` one-second tries.
        """
        ifname = standin.ifname(position)
        with tempfile.TemporaryDirectory(prefix="netservice-udhcpc-") as tmp:
            script = Path(tmp) / "report"
            script.write_text(_UDHCPC_SCRIPT)
            os.chmod(script, 0o700)
            tries = str(attempts)
            result = self.runner_for(standin.namespace).run(
                [
                    "udhcpc",
                    "-f",
                    "-q",
                    "-n",
                    "-i",
                    ifname,
                    "-t",
                    tries,
                    "-T",
                    "1",
                    "-s",
                    str(script),
                ],
                timeout=attempts * 3 + 5,
            )
        lease = _parse_udhcpc(result.stdout)
        if lease is None:
            raise exceptions.CommandFailed(
                cmd=f"udhcpc -i {ifname}", status=0, stderr="no lease reported"
            )
        inside = self.links_for(standin.namespace)
        try:
            inside.ensure_address(ifname, f"{lease.ip}/{lease.prefixlen}")
            # One default route per guest, through its first NIC; the others
            # reach only their own subnet (a second default is refused anyway).
            if lease.router and position == 0:
                inside.ensure_default_route(ifname, lease.router)
        finally:
            inside.close()
        return lease

    def destroy(self, standin: StandIn | str) -> None:
        """Remove the host ends and the namespace.  Absent is fine."""
        if isinstance(standin, StandIn):
            for vnic in standin.vnics:
                self.links.remove_veth(vnic.host_ifname)
            name = standin.namespace
        else:
            name = standin
        # Deleting the namespace deletes the instance ends, and with them the
        # host ends of every veth pair.
        self.links.remove_namespace(name)


def _parse_udhcpc(stdout: str) -> DhcpLease | None:
    for line in stdout.splitlines():
        if not line.startswith("netservice-udhcpc event=bound"):
            continue
        fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
        ip = validate.ipv4(fields["ip"], "ip")
        if fields.get("mask"):
            prefixlen = int(fields["mask"])
        else:
            prefixlen = bin(int.from_bytes(bytes(map(int, fields["subnet"].split("."))))).count(
                "1"
            )
        return DhcpLease(ip, prefixlen, fields.get("router", "").split(" ")[0] or None)
    return None
