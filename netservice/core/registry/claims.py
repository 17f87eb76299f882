"""What a plugin claims in the deployment-wide registry: frozen values, no I/O.

Two families of resource can collide between plugins side by side:

- **address space** (``AddressClaim``): a fixed range (IPv4 or IPv6), a
  floating range or address, a VPN public endpoint (address, protocol,
  port), a gateway address the data plane puts on a host.  Each claim is
  one CIDR, so PostgreSQL can index it as ``inet`` (a floating range that is
  not a CIDR is claimed as the few CIDRs that cover exactly its addresses).
- **L2** (``L2Claim``): a bridge name, a VLAN id on a physical interface, a
  VXLAN VNI on an underlay.

Each claim carries its owner (the plugin, and the network or resource) and
a *conflict key*: two overlapping claims conflict unless their keys are
equal, so a network's own range and gateway never collide with each other,
and a plugin's networks may share one bridge where its topology does so on
purpose (Flat and FlatDHCP put every network on the one bridge).
"""

from __future__ import annotations

import dataclasses

import netaddr

ADDRESS_KINDS = ("fixed", "floating", "vpn", "gateway")
L2_KINDS = ("bridge", "vlan", "vni")
EVERYWHERE = "*"
"""The scope of a bridge that exists on every host that serves the network."""

_HEX_DIGITS = 32  # 128 bits: IPv4 and IPv6 compare in one column, family apart


def hex_of(value: int) -> str:
    """An address as fixed-width hex, so text order is numeric order on every engine."""
    return f"{value:0{_HEX_DIGITS}x}"


@dataclasses.dataclass(frozen=True)
class AddressClaim:
    """One CIDR of address space held by ``owner``."""

    kind: str
    cidr: str
    """The span, as a CIDR (a single address is a /32 or /128)."""
    owner: str
    """The plugin's name."""
    network_id: str | None
    """The owning network's id, or None for a resource of no network (a floating range)."""
    resource: str
    """What the operator named: ``10.147.0.0/24``, ``192.0.2.16/28``, ``192.0.2.1 udp/1194``."""
    conflict_key: str
    protocol: str | None = None
    port: int | None = None

    @property
    def network(self) -> netaddr.IPNetwork:
        return netaddr.IPNetwork(self.cidr)

    @property
    def family(self) -> int:
        return int(self.network.version)

    @property
    def first_hex(self) -> str:
        return hex_of(int(self.network.first))

    @property
    def last_hex(self) -> str:
        return hex_of(int(self.network.last))

    def describe(self) -> str:
        """``10.147.0.0/24 of network 3 (flat)``: the claim and its owner, for messages."""
        return address_text(self.kind, self.resource, self.owner, self.network_id)

    def columns(self) -> dict[str, object]:
        """The ``registry_addresses`` row of this claim (all but ``created_at``)."""
        return {
            **dataclasses.asdict(self),
            "family": self.family,
            "first_hex": self.first_hex,
            "last_hex": self.last_hex,
        }


@dataclasses.dataclass(frozen=True)
class L2Claim:
    """One L2 name held by ``owner``: a bridge, a VLAN id or a VNI within ``scope``."""

    kind: str
    scope: str
    """``*`` (every host), or the interface or underlay the id is on."""
    name: str
    owner: str
    network_id: str | None
    conflict_key: str

    @property
    def resource(self) -> str:
        """``br100``, ``100 on eth1``: the name within its scope (``registry list``)."""
        return self.name if self.scope == EVERYWHERE else f"{self.name} on {self.scope}"

    @property
    def words(self) -> str:
        """``bridge br100``, ``VLAN 100 on eth1``: the resource as messages name it."""
        return f"{_L2_WORDS.get(self.kind, self.kind)} {self.resource}"

    def describe(self) -> str:
        return f"{self.words} of {owner_text(self.kind, self.owner, self.network_id)}"


Claim = AddressClaim | L2Claim

_L2_WORDS = {"bridge": "bridge", "vlan": "VLAN", "vni": "VNI"}
_ADDRESS_WORDS = {"vpn": "VPN ", "gateway": "gateway "}


def address_text(kind: str, resource: str, owner: str, network_id: str | None) -> str:
    """``VPN 203.0.113.2 udp/1194 of network 3 (vlan)``: an address claim in messages."""
    return f"{_ADDRESS_WORDS.get(kind, '')}{resource} of {owner_text(kind, owner, network_id)}"


def owner_text(kind: str, owner: str, network_id: str | None) -> str:
    """``network 3 (flat)``, or ``floating IPs (flat_dhcp)`` for a claim of no network."""
    if network_id is not None:
        return f"network {network_id} ({owner})"
    return f"{'floating IPs' if kind == 'floating' else kind} ({owner})"


def network_key(owner: str, network_id: int | str) -> str:
    return f"{owner}/network/{network_id}"


# --- builders: what a plugin claims for each thing it writes -------------------------


def fixed_range(owner: str, network_id: int | str, cidr: str) -> AddressClaim:
    """A network's fixed range (IPv4 or IPv6)."""
    net = netaddr.IPNetwork(cidr)
    return AddressClaim(
        "fixed",
        str(net.cidr),
        owner,
        str(network_id),
        str(net.cidr),
        network_key(owner, network_id),
    )


def gateway(owner: str, network_id: int | str, address: str) -> AddressClaim:
    """The address the data plane puts on a host for a network (its gateway)."""
    ip = netaddr.IPAddress(address)
    prefix = 32 if ip.version == 4 else 128
    return AddressClaim(
        "gateway",
        f"{ip}/{prefix}",
        owner,
        str(network_id),
        str(ip),
        network_key(owner, network_id),
    )


def floating_range(
    owner: str, first: int, last: int, resource: str | None = None
) -> list[AddressClaim]:
    """IPv4 floating addresses ``first..last``: the fewest CIDRs that cover exactly them.

    ``resource`` is what the operator asked for (``203.0.113.16/28``);
    without it, the addresses (``203.0.113.17-203.0.113.30``).  A plugin's
    floating IPs share one key (its own table keeps each address once), so
    two ranges of one plugin are never refused here.
    """
    low, high = netaddr.IPAddress(first, 4), netaddr.IPAddress(last, 4)
    text = resource or (str(low) if first == last else f"{low}-{high}")
    return [
        AddressClaim("floating", str(net), owner, None, text, f"{owner}/floating")
        for net in netaddr.iprange_to_cidrs(low, high)
    ]


def vpn_endpoint(
    owner: str, network_id: int | str, address: str, port: int, protocol: str = "udp"
) -> AddressClaim:
    """A VPN's public address, protocol and port.

    One key per plugin: its own VPNs share an address on different ports
    (``vpn_start`` + i on ``vpn_ip``); the registry refuses the same
    address, protocol and port twice, and the address in any other claim.
    """
    ip = netaddr.IPAddress(address)
    prefix = 32 if ip.version == 4 else 128
    return AddressClaim(
        "vpn",
        f"{ip}/{prefix}",
        owner,
        str(network_id),
        f"{ip} {protocol}/{port}",
        f"{owner}/vpn",
        protocol=protocol,
        port=int(port),
    )


def bridge(owner: str, network_id: int | str, name: str, *, shared: bool) -> L2Claim:
    """A bridge on every host serving the network.

    ``shared``: the plugin puts several of its networks on this bridge on
    purpose (Flat, FlatDHCP); otherwise the bridge is the network's alone (VLAN).
    """
    key = owner if shared else network_key(owner, network_id)
    return L2Claim("bridge", EVERYWHERE, name, owner, str(network_id), key)


def segment(
    owner: str, network_id: int | str, number: int, interface: str | None, *, vxlan: bool
) -> L2Claim:
    """A VLAN id on ``interface`` or, with ``vxlan``, a VNI on the underlay ``interface``."""
    return L2Claim(
        "vni" if vxlan else "vlan",
        interface or EVERYWHERE,
        str(int(number)),
        owner,
        str(network_id),
        network_key(owner, network_id),
    )
