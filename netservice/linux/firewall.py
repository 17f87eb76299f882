"""Firewall and NAT: applies the batches of ``netservice.linux.nftables``.

``Nft`` runs ``nft -f -`` (one atomic transaction per batch); ``DryRunNft``
prints the batch instead.  ``Firewall`` combines them with the side effects
nova had around its iptables rules: the floating address on the public
interface, gratuitous ARP, and the conntrack flush on unbind.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from netservice.linux import exceptions, nftables, process, validate
from netservice.linux.links import Links

LOG = logging.getLogger(__name__)


class Nft:
    """Applies batches with the ``nft`` binary in the runner's namespace."""

    def __init__(self, runner: process.Runner) -> None:
        self.runner = runner

    def apply(self, batch: str) -> None:
        """Apply ``batch`` atomically; raises NftBatchFailed (nothing changed)."""
        try:
            self.runner.run(["nft", "-f", "-"], stdin=batch)
        except exceptions.CommandFailed as exc:
            raise exceptions.NftBatchFailed(stderr=exc.kwargs.get("stderr", "")) from exc

    def get_element(self, family: str, table: str, set_name: str, key: str) -> str | None:
        """The value ``key`` maps to in a map, or None when it has no element (or no map).

        Read from the map's JSON: nft 1.0.6 answers ``-j get element`` in
        text, and the driver never matches text output.
        """
        for obj in self.list_json("map", family, table, set_name):
            for element in obj.get("map", {}).get("elem", []):
                if isinstance(element, list) and len(element) == 2 and element[0] == key:
                    return str(element[1])
        return None

    def list_json(self, *what: str) -> list[dict[str, Any]]:
        """``nft -j list <what>`` objects, or [] when the object does not exist."""
        result = self.runner.run(["nft", "-j", "list", *what], ok_codes=(0, 1))
        if result.returncode != 0 or not result.stdout.strip():
            return []
        objects: list[dict[str, Any]] = json.loads(result.stdout).get("nftables", [])
        return objects


class DryRunNft(Nft):
    """Prints every batch it would apply; reads see an empty ruleset."""

    def __init__(self, runner: process.Runner, out: TextIO | None = None) -> None:
        super().__init__(runner)
        self.out = out if out is not None else sys.stdout

    def apply(self, batch: str) -> None:
        where = f"[{self.runner.namespace}]" if self.runner.namespace else ""
        print(f"nft{where} -f - <<EOF\n{batch}EOF", file=self.out)

    def list_json(self, *what: str) -> list[dict[str, Any]]:
        return []


class Firewall:
    """NAT, floating IPs, metadata and anti-spoofing for one host (namespace).

    Every method is idempotent and applies its nft change as one batch; the
    first call of any of them also (re)applies the base tables.  All raise
    InvalidInput for bad arguments and NftBatchFailed when nft refuses.
    """

    def __init__(
        self,
        nft: Nft,
        runner: process.Runner,
        links: Links,
        config: nftables.NatConfig,
        *,
        send_arp_for_ha: bool = True,
        send_arp_count: int = 3,
    ) -> None:
        self.nft = nft
        self.runner = runner
        self.links = links
        self.config = config
        self.send_arp_for_ha = send_arp_for_ha
        self.send_arp_count = send_arp_count
        self._base_applied = False

    def ensure_base(self) -> None:
        """(Re)apply the tables, maps and hooked chains; elements are kept.

        Called on start-up and on each periodic resync.
        """
        self.nft.apply(nftables.base_batch(self.config))
        self._base_applied = True

    def _apply(self, batch: str) -> None:
        if not self._base_applied:
            self.ensure_base()
        self.nft.apply(batch)

    # --- networks --------------------------------------------------------------

    def ensure_network(self, network_id: str, cidr: str) -> None:
        """SNAT ``cidr`` out of the public interface (with nova's exceptions)."""
        self._apply(nftables.network_batch(self.config, network_id, cidr))

    def remove_network(self, network_id: str, cidr: str | None = None) -> None:
        """Remove the network's chain and map element; absent is fine.

        Without ``cidr`` (a reconciler cleaning up after a crash) it is read
        from the ``nat_networks`` element that jumps to the network's chain.
        """
        if cidr is None:
            cidr = self._network_cidr(network_id)
        self._apply(nftables.remove_network_batch(self.config, network_id, cidr))

    def _network_cidr(self, network_id: str) -> str | None:
        chain = f"net-{network_id}"
        for obj in self.nft.list_json("map", "ip", self.config.table, "nat_networks"):
            for key, verdict in obj.get("map", {}).get("elem", []):
                if verdict.get("jump", {}).get("target") == chain and "prefix" in key:
                    return f"{key['prefix']['addr']}/{key['prefix']['len']}"
        return None

    # --- floating IPs -----------------------------------------------------

    def bind_floating_ip(self, floating: str, fixed: str) -> None:
        """Send ``floating`` to ``fixed`` and SNAT ``fixed`` to it.

        Two map elements, so the cost does not grow with the number bound.
        Makes the host own ``floating`` on the public interface with a local
        route (see ``Links.ensure_local_address`` for why not a /32
        address, whose cost grows with the count) and, with
        ``send_arp_for_ha``, sends gratuitous ARP in the background.  A
        floating IP bound elsewhere is moved.  Raises LinkNotFound when the
        public interface is missing (nothing is left half-bound).
        """
        f = validate.ipv4(floating, "floating_ip")
        x = validate.ipv4(fixed, "fixed_ip")
        public = self.config.public_interface
        if public:
            self.links.require(public, "public_interface")
        try:
            self._apply(nftables.bind_batch(self.config, f, x))
        except exceptions.NftBatchFailed:
            # An element with another value is in the way (F moved, or X had
            # another floating IP): rare, so only now read what is there.
            self._replace_binding(f, x)
        if public:
            self.links.ensure_local_address(public, f)
            if self.send_arp_for_ha and self.send_arp_count > 0:
                count = str(self.send_arp_count)
                self.runner.spawn(["arping", "-q", "-U", "-c", count, "-i", public, "-S", f, f])

    def _replace_binding(self, f: str, x: str) -> None:
        t = self.config.table
        deletes, adds = [], []
        for name, key, value in (("fip_dnat", f, x), ("fip_snat", x, f)):
            current = self.nft.get_element("ip", t, name, key)
            if current != value:
                if current is not None:
                    deletes.append((name, key, current))
                adds.append((name, key, value))
        if deletes or adds:
            self._apply(nftables.replace_elements_batch(self.config, deletes, adds))

    def unbind_floating_ip(self, floating: str, fixed: str) -> None:
        """Undo ``bind_floating_ip`` and flush conntrack entries of ``fixed``.

        Absent is fine.  An SNAT element of ``fixed`` that now points to
        another floating IP is left alone.
        """
        f = validate.ipv4(floating, "floating_ip")
        x = validate.ipv4(fixed, "fixed_ip")
        try:
            self._apply(nftables.unbind_batch(self.config, f, x))
        except exceptions.NftBatchFailed:
            deletes = [
                (name, key, value)
                for name, key, value in (("fip_dnat", f, x), ("fip_snat", x, f))
                if self.nft.get_element("ip", self.config.table, name, key) == value
            ]
            if deletes:
                self._apply(nftables.replace_elements_batch(self.config, deletes, []))
        if self.config.public_interface and self.links.get(self.config.public_interface):
            self.links.remove_local_address(self.config.public_interface, f)
        self.flush_conntrack(x)

    def floating_bindings(self) -> dict[str, str]:
        """The floating IPs bound now, as ``{floating: fixed}`` (from ``fip_dnat``).

        Read by a reconciler at start-up, to unbind what the database no
        longer wants.  Empty when the table does not exist.
        """
        bindings: dict[str, str] = {}
        for obj in self.nft.list_json("map", "ip", self.config.table, "fip_dnat"):
            for element in obj.get("map", {}).get("elem", []):
                floating, fixed = element
                bindings[str(floating)] = str(fixed)
        return bindings

    def network_ids(self) -> set[str]:
        """The network ids that have a SNAT chain (``net-<id>``) now."""
        chains = self.nft.list_json("chains", "ip")
        return {
            obj["chain"]["name"].removeprefix("net-")
            for obj in chains
            if "chain" in obj
            and obj["chain"].get("table") == self.config.table
            and obj["chain"]["name"].startswith("net-")
        }

    def flush_conntrack(self, fixed: str) -> None:
        """Forget tracked connections from or to ``fixed`` (so old NAT stops)."""
        x = validate.ipv4(fixed, "fixed_ip")
        for option in ("--orig-src", "--reply-src"):
            # Exit status 1 means "no entry matched".
            self.runner.run(["conntrack", "-D", option, x], ok_codes=(0, 1))

    # --- VPN (VLAN's cloudpipe) ---------------------------------------------------

    def ensure_vpn(self, public: str, port: int, private: str) -> None:
        """DNAT udp ``public``:``port`` to ``private``:1194 (PREROUTING and OUTPUT).

        Also accepts the forwarding of udp/1194 to ``private``.  A forward
        of ``public``:``port`` to another address is replaced.  Idempotent.
        """
        try:
            self._apply(nftables.vpn_batch(self.config, public, port, private))
        except exceptions.NftBatchFailed:
            # The key forwards elsewhere (the VPN moved): rare, so read only now.
            current = self.vpn_forwards().get((validate.ipv4(public), port))
            if current is None:
                raise
            self.remove_vpn(public, port)
            self._apply(nftables.vpn_batch(self.config, public, port, private))

    def remove_vpn(self, public: str, port: int) -> None:
        """Undo ``ensure_vpn`` for ``public``:``port``; absent is fine.

        The VPN address stays accepted while another forward still leads to it.
        """
        forwards = self.vpn_forwards()
        private = forwards.pop((validate.ipv4(public, "vpn_public_address"), port), None)
        if private is None:
            return
        keep = private in forwards.values()
        self._apply(
            nftables.remove_vpn_batch(self.config, public, port, private, keep_server=keep)
        )

    def vpn_forwards(self) -> dict[tuple[str, int], str]:
        """The VPN forwards now, as ``{(public, port): private}`` (from ``vpn_dnat``).

        Read by a reconciler to drop what the database no longer wants.
        Empty when the table does not exist.
        """
        forwards: dict[tuple[str, int], str] = {}
        for obj in self.nft.list_json("map", "ip", self.config.table, "vpn_dnat"):
            for key, value in obj.get("map", {}).get("elem", []):
                public, port = key["concat"]
                forwards[(str(public), int(port))] = str(value["concat"][0])
        return forwards

    # --- isolated bridges (VLAN's project networks) ----------------------------------

    def isolate_bridge(self, bridge: str) -> None:
        """Stop routing between ``bridge`` and every other network this host serves.

        Floating IPs and VPNs (DNATed traffic) stay reachable.  Idempotent.
        """
        self._apply(nftables.isolate_batch(self.config, bridge))

    def unisolate_bridge(self, bridge: str) -> None:
        """Undo ``isolate_bridge``; absent is fine."""
        self._apply(nftables.unisolate_batch(self.config, bridge))

    def isolated_bridges(self) -> set[str]:
        """The bridges in ``isolated_bridges`` now; empty when the table does not exist."""
        found: set[str] = set()
        for obj in self.nft.list_json("set", "ip", self.config.table, "isolated_bridges"):
            found.update(str(name) for name in obj.get("set", {}).get("elem", []))
        return found

    # --- VNICs ------------------------------------------------------------------

    def ensure_vnic(self, port: str, mac: str, ips: Sequence[str]) -> None:
        """Let only ``mac`` and ``ips`` leave bridge port ``port`` (DHCP allowed)."""
        self._apply(nftables.vnic_batch(self.config, port, mac, ips))

    def remove_vnic(self, port: str) -> None:
        """Remove the port's anti-spoofing chain; absent is fine."""
        self._apply(nftables.remove_vnic_batch(self.config, port))

    def remove_all(self) -> None:
        """Delete both netservice tables; absent is fine."""
        self.nft.apply(nftables.remove_all_batch(self.config))
        self._base_applied = False
