"""The nftables ruleset, built as text by pure functions.

netservice owns two tables, both named after ``[linux] nft_table``:

- ``table ip <name>``: NAT.  Per-network SNAT chains reached through the
  interval verdict map ``nat_networks`` (source prefix -> ``jump net-<id>``);
  floating IPs as elements of the ``fip_dnat`` (F -> X) and ``fip_snat``
  (X -> F) maps; the metadata DNAT; VLAN's VPN DNAT as elements of
  ``vpn_dnat`` (public address . port -> VPN address . 1194) with the
  FORWARD accept of udp/1194 to the ``vpn_servers``; and, in the same
  ``forward`` chain, no routing between a bridge of ``isolated_bridges``
  (VLAN's project networks) and any other network this host serves (the
  interval set ``internal_nets``, which every network's SNAT batch fills,
  whatever its plugin), except to a DNATed address: the verdict maps
  ``isolation`` (by input bridge) and ``isolation_in`` (by output bridge)
  send such packets to the bridge's chains ``iso-<bridge>`` and
  ``isoin-<bridge>``, which drop what goes to or comes from another network.
  Traffic to and from the outside passes.
- ``table bridge <name>``: per-VNIC anti-spoofing on bridge ports, reached
  through the verdict map ``vnic_ports`` (port name -> ``jump vnic-<port>``).
  Bridged frames never reach the ``ip`` family hooks, hence a second family.

Everything a network or a VNIC adds is found by name (a map element and a
chain), never by rule handle, so it can be removed without listing the
ruleset, and removing it leaves no trace.  Each function returns one batch
for ``nft -f``, which the kernel applies atomically.  Re-applying a batch
leaves the ruleset as it was: chains are flushed before being refilled and
``add`` of an existing table, chain or identical element is a no-op.
Removal batches add what they delete first (``add`` then ``delete``), which
makes them succeed when it is already gone; nft 1.0.6 has no ``destroy``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from netservice.linux import validate

METADATA_IP = "169.254.169.254"
_UNSPECIFIED = "0.0.0.0"  # noqa: S104 (the source of ARP probes, not a bind)
VPN_PORT = 1194  # OpenVPN's port inside the VPN instance (nova's cloudpipe)


@dataclasses.dataclass(frozen=True)
class NatConfig:
    """The host-wide settings the NAT rules depend on."""

    table: str = "netservice"
    public_interface: str = ""
    routing_source_ip: str | None = None
    metadata_host: str | None = None
    metadata_port: int = 8775
    dmz_cidrs: tuple[str, ...] = ()


def _oif(config: NatConfig) -> str:
    return f'oifname "{config.public_interface}" ' if config.public_interface else ""


def base_batch(config: NatConfig) -> str:
    """The two tables, their maps and their hooked chains.

    Must be applied on its own before the first element goes into
    ``nat_networks``: nft 1.0.6 cannot add an element to an interval map
    created in the same batch.  Re-applying it keeps every map element.
    """
    t = validate.token(config.table, "nft_table")
    lines = [
        f"add table ip {t}",
        f"add map ip {t} fip_dnat {{ type ipv4_addr : ipv4_addr; }}",
        f"add map ip {t} fip_snat {{ type ipv4_addr : ipv4_addr; }}",
        f"add map ip {t} nat_networks {{ type ipv4_addr : verdict; flags interval; }}",
        f"add map ip {t} vpn_dnat {{ type ipv4_addr . inet_service : ipv4_addr . inet_service; }}",
        f"add set ip {t} vpn_servers {{ type ipv4_addr; }}",
        f"add set ip {t} isolated_bridges {{ type ifname; }}",
        f"add map ip {t} isolation {{ type ifname : verdict; }}",
        f"add map ip {t} isolation_in {{ type ifname : verdict; }}",
        f"add set ip {t} internal_nets {{ type ipv4_addr; flags interval; }}",
    ]
    for chain, hook, prio in (
        ("prerouting", "prerouting", "dstnat"),
        ("output", "output", "-100"),
        ("postrouting", "postrouting", "srcnat"),
    ):
        lines += [
            f"add chain ip {t} {chain} {{ type nat hook {hook} priority {prio}; policy accept; }}",
            f"flush chain ip {t} {chain}",
        ]
    # NAT statements end the chain, so the narrower VPN match goes first.
    lines += [
        f"add rule ip {t} prerouting dnat ip to ip daddr . udp dport map @vpn_dnat",
        f"add rule ip {t} prerouting dnat ip to ip daddr map @fip_dnat",
        f"add rule ip {t} output dnat ip to ip daddr . udp dport map @vpn_dnat",
        f"add rule ip {t} output dnat ip to ip daddr map @fip_dnat",
    ]
    if config.metadata_host:
        target = f"{validate.ipv4(config.metadata_host, 'metadata_host')}:"
        target += str(validate.port(config.metadata_port, "metadata_port"))
        lines.append(
            f"add rule ip {t} prerouting ip daddr {METADATA_IP} tcp dport 80 dnat ip to {target}"
        )
    lines += [
        f"add rule ip {t} postrouting ip saddr vmap @nat_networks",
        # Floating IPs of fixed IPs outside any network this host NATs.
        f"add rule ip {t} postrouting {_oif(config)}snat ip to ip saddr map @fip_snat",
        # Accepting here does not override another table's drop; as nova's
        # FORWARD rule, it documents that the VPN is meant to be reached.
        f"add chain ip {t} forward {{ type filter hook forward priority filter; policy accept; }}",
        f"flush chain ip {t} forward",
        f"add rule ip {t} forward udp dport {VPN_PORT} ip daddr @vpn_servers accept",
        # Floating IPs and VPNs are public: reachable from another project's
        # network too.  Anything else between two isolated bridges is dropped.
        f"add rule ip {t} forward ct status dnat accept",
        f"add rule ip {t} forward iifname vmap @isolation",
        f"add rule ip {t} forward oifname vmap @isolation_in",
        f"add table bridge {t}",
        f"add map bridge {t} vnic_ports {{ type ifname : verdict; }}",
        f"add chain bridge {t} prerouting"
        " { type filter hook prerouting priority -200; policy accept; }",
        f"flush chain bridge {t} prerouting",
        f"add rule bridge {t} prerouting iifname vmap @vnic_ports",
    ]
    return _batch(lines)


def network_batch(config: NatConfig, network_id: str, cidr: str) -> str:
    """SNAT of ``cidr`` to routing_source_ip, after the accept-without-SNAT rules.

    In nova's order: traffic to the metadata host, to each dmz_cidr and
    within the network (unless it was DNATed, so hairpinned floating-IP
    traffic is still SNATed) leaves untouched; then a floating IP's own SNAT;
    then routing_source_ip out of the public interface.
    """
    t = validate.token(config.table, "nft_table")
    chain = _net_chain(network_id)
    net = str(validate.cidr(cidr).cidr)
    lines = [f"add chain ip {t} {chain}", f"flush chain ip {t} {chain}"]
    rule = f"add rule ip {t} {chain}"
    if config.metadata_host:
        lines.append(f"{rule} ip daddr {validate.ipv4(config.metadata_host)} accept")
    if config.dmz_cidrs:
        dmz = ", ".join(str(validate.cidr(c, "dmz_cidr").cidr) for c in config.dmz_cidrs)
        lines.append(f"{rule} ip daddr {{ {dmz} }} accept")
    lines += [
        f"{rule} ip daddr {net} ct status != dnat accept",
        f"{rule} {_oif(config)}snat ip to ip saddr map @fip_snat",
    ]
    if config.routing_source_ip:
        source = validate.ipv4(config.routing_source_ip, "routing_source_ip")
        lines.append(f"{rule} {_oif(config)}snat ip to {source}")
    lines.append(f"add element ip {t} nat_networks {{ {net} : jump {chain} }}")
    lines.append(f"add element ip {t} internal_nets {{ {net} }}")
    return _batch(lines)


def remove_network_batch(config: NatConfig, network_id: str, cidr: str | None) -> str:
    """Remove what ``network_batch`` added; succeeds when already gone.

    Without ``cidr`` (no map element points at the chain) only the chain goes.
    """
    t = validate.token(config.table, "nft_table")
    chain = _net_chain(network_id)
    lines = [f"add chain ip {t} {chain}"]
    if cidr is not None:
        net = validate.cidr(cidr).cidr
        for element in (f"ip {t} nat_networks {{ {net} : jump {chain} }}",
                        f"ip {t} internal_nets {{ {net} }}"):  # fmt: skip
            lines += [f"add element {element}", f"delete element {element}"]
    lines += [f"flush chain ip {t} {chain}", f"delete chain ip {t} {chain}"]
    return _batch(lines)


def bind_batch(config: NatConfig, floating: str, fixed: str) -> str:
    """DNAT ``floating`` to ``fixed`` and SNAT back: two map elements."""
    t = validate.token(config.table, "nft_table")
    f, x = validate.ipv4(floating, "floating_ip"), validate.ipv4(fixed, "fixed_ip")
    return _batch(
        [
            f"add element ip {t} fip_dnat {{ {f} : {x} }}",
            f"add element ip {t} fip_snat {{ {x} : {f} }}",
        ]
    )


def unbind_batch(config: NatConfig, floating: str, fixed: str) -> str:
    """Remove the two elements of ``bind_batch``; succeeds when already gone."""
    t = validate.token(config.table, "nft_table")
    f, x = validate.ipv4(floating, "floating_ip"), validate.ipv4(fixed, "fixed_ip")
    lines = []
    for element in (f"ip {t} fip_dnat {{ {f} : {x} }}", f"ip {t} fip_snat {{ {x} : {f} }}"):
        lines += [f"add element {element}", f"delete element {element}"]
    return _batch(lines)


def replace_elements_batch(
    config: NatConfig,
    deletes: Sequence[tuple[str, str, str]],
    adds: Sequence[tuple[str, str, str]],
) -> str:
    """Delete then add ``(map, key, value)`` elements of the ip table, in one batch."""
    t = validate.token(config.table, "nft_table")
    lines = [f"delete element ip {t} {m} {{ {k} : {v} }}" for m, k, v in deletes]
    lines += [f"add element ip {t} {m} {{ {k} : {v} }}" for m, k, v in adds]
    return _batch(lines)


def vpn_batch(config: NatConfig, public: str, port: int, private: str) -> str:
    """DNAT udp ``public``:``port`` to ``private``:1194 and accept its forwarding.

    Two set elements, so one VPN costs the same however many there are.
    """
    t = validate.token(config.table, "nft_table")
    key, value, server = _vpn_element(public, port, private)
    return _batch(
        [
            f"add element ip {t} vpn_dnat {{ {key} : {value} }}",
            f"add element ip {t} vpn_servers {{ {server} }}",
        ]
    )


def remove_vpn_batch(
    config: NatConfig, public: str, port: int, private: str, *, keep_server: bool = False
) -> str:
    """Remove what ``vpn_batch`` added; succeeds when already gone.

    ``keep_server`` leaves ``private`` in ``vpn_servers``, for when another
    ``vpn_dnat`` element still forwards to it.
    """
    t = validate.token(config.table, "nft_table")
    key, value, server = _vpn_element(public, port, private)
    elements = [f"ip {t} vpn_dnat {{ {key} : {value} }}"]
    if not keep_server:
        elements.append(f"ip {t} vpn_servers {{ {server} }}")
    lines = []
    for element in elements:
        lines += [f"add element {element}", f"delete element {element}"]
    return _batch(lines)


def isolate_batch(config: NatConfig, bridge: str) -> str:
    """Stop routing between ``bridge`` and every other network this host serves.

    Both ways: what leaves ``bridge`` for another network's addresses, and
    what comes from another network into it.  The comparison is by name in
    the bridge's own chains: nft cannot compare ``iifname`` with
    ``oifname``, and with br_netfilter a frame switched within one bridge
    reaches this hook with both set to that bridge.
    """
    t = validate.token(config.table, "nft_table")
    name = validate.ifname(bridge, "bridge")
    out, into = _iso_chain(name), _iso_in_chain(name)
    return _batch(
        [
            f"add chain ip {t} {out}",
            f"flush chain ip {t} {out}",
            f'add rule ip {t} {out} oifname "{name}" return',
            f"add rule ip {t} {out} ip daddr @internal_nets drop",
            f"add chain ip {t} {into}",
            f"flush chain ip {t} {into}",
            f'add rule ip {t} {into} iifname "{name}" return',
            f"add rule ip {t} {into} ip saddr @internal_nets drop",
            f'add element ip {t} isolated_bridges {{ "{name}" }}',
            f'add element ip {t} isolation {{ "{name}" : jump {out} }}',
            f'add element ip {t} isolation_in {{ "{name}" : jump {into} }}',
        ]
    )


def unisolate_batch(config: NatConfig, bridge: str) -> str:
    """Remove what ``isolate_batch`` added; succeeds when already gone."""
    t = validate.token(config.table, "nft_table")
    name = validate.ifname(bridge, "bridge")
    out, into = _iso_chain(name), _iso_in_chain(name)
    lines = [f"add chain ip {t} {out}", f"add chain ip {t} {into}"]
    for element in (
        f'ip {t} isolation {{ "{name}" : jump {out} }}',
        f'ip {t} isolation_in {{ "{name}" : jump {into} }}',
        f'ip {t} isolated_bridges {{ "{name}" }}',
    ):
        lines += [f"add element {element}", f"delete element {element}"]
    for chain in (out, into):
        lines += [f"flush chain ip {t} {chain}", f"delete chain ip {t} {chain}"]
    return _batch(lines)


def vnic_batch(config: NatConfig, port: str, mac: str, ips: Sequence[str]) -> str:
    """Anti-spoofing for the bridge port ``port`` of one VNIC.

    Only frames from ``mac`` pass; ARP only for the VNIC's IPv4 addresses
    (or 0.0.0.0, for address probes); IPv4 only from its addresses, except
    a DHCP client request, which may come from 0.0.0.0; no DHCP server
    replies from an instance; IPv6 only from its addresses, link-local or
    unspecified (neighbour discovery); nothing else.
    """
    t = validate.token(config.table, "nft_table")
    chain = _vnic_chain(port)
    mac = validate.mac(mac)
    v4 = [validate.ipv4(a, "ips") for a in ips if ":" not in a]
    v6 = [validate.ip(a, "ips") for a in ips if ":" in a]
    rule = f"add rule bridge {t} {chain}"
    lines = [
        f"add chain bridge {t} {chain}",
        f"flush chain bridge {t} {chain}",
        f"{rule} ether saddr != {mac} drop",
        f"{rule} ether type arp arp saddr ether != {mac} drop",
        f"{rule} ether type arp arp saddr ip != {{ {', '.join([_UNSPECIFIED, *v4])} }} drop",
        f"{rule} ether type arp accept",
        f"{rule} ether type ip udp sport 67 drop",
        f"{rule} ether type ip udp sport 68 udp dport 67 accept",
    ]
    if v4:
        lines.append(f"{rule} ether type ip ip saddr {{ {', '.join(v4)} }} accept")
    lines += [
        f"{rule} ether type ip6 ip6 saddr {{ {', '.join(['::', 'fe80::/10', *v6])} }} accept",
        f"{rule} drop",
        f'add element bridge {t} vnic_ports {{ "{port}" : jump {chain} }}',
    ]
    return _batch(lines)


def remove_vnic_batch(config: NatConfig, port: str) -> str:
    """Remove what ``vnic_batch`` added; succeeds when already gone."""
    t = validate.token(config.table, "nft_table")
    chain = _vnic_chain(port)
    element = f'bridge {t} vnic_ports {{ "{port}" : jump {chain} }}'
    return _batch(
        [
            f"add chain bridge {t} {chain}",
            f"add element {element}",
            f"delete element {element}",
            f"flush chain bridge {t} {chain}",
            f"delete chain bridge {t} {chain}",
        ]
    )


def remove_all_batch(config: NatConfig) -> str:
    """Delete both tables, and so every rule and element netservice made."""
    t = validate.token(config.table, "nft_table")
    return _batch(
        [
            f"add table ip {t}",
            f"delete table ip {t}",
            f"add table bridge {t}",
            f"delete table bridge {t}",
        ]
    )


def _vpn_element(public: str, port: int, private: str) -> tuple[str, str, str]:
    """The ``vpn_dnat`` key and value, and the ``vpn_servers`` element."""
    address = validate.ipv4(public, "vpn_public_address")
    number = validate.port(port, "vpn_public_port")
    server = validate.ipv4(private, "vpn_private_address")
    return f"{address} . {number}", f"{server} . {VPN_PORT}", server


def _iso_chain(bridge: str) -> str:
    return f"iso-{bridge}"


def _iso_in_chain(bridge: str) -> str:
    return f"isoin-{bridge}"


def _net_chain(network_id: str) -> str:
    return f"net-{validate.token(network_id, 'network_id')}"


def _vnic_chain(port: str) -> str:
    return f"vnic-{validate.ifname(port, 'port')}"


def _batch(lines: Sequence[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
