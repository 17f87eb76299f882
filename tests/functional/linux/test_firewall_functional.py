"""NAT, floating IPs, metadata and anti-spoofing with real packets.

Topology, each piece in its own fresh namespace::

    vm 10.0.0.5 -- [br100 10.0.0.1 | host | pub0 192.168.100.2] -- ext 192.168.100.1
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from netservice.linux import exceptions, firewall, nftables, process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq
from netservice.linux.testing import interface_xml, ip_json, ns_run, pings

MAC = "fa:16:3e:00:00:05"
FLOATING = "192.168.100.50"

PEER_SERVER = """
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("{addr}", {port}))
s.listen()
print("ready")
while True:
    c, peer = s.accept()
    c.sendall(peer[0].encode())
    c.close()
"""

HTTP_SERVER = """
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("metadata for " + self.client_address[0]).encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("{addr}", {port}), H)
print("ready")
server.serve_forever()
"""

CLIENT = """
import socket, sys
s = socket.create_connection(("{addr}", {port}), timeout=3)
print(s.recv(100).decode())
"""

HTTP_CLIENT = """
import urllib.request
url = "http://169.254.169.254/latest/meta-data/"
print(urllib.request.urlopen(url, timeout=3).read().decode())
"""


def nft_list(ns: str) -> str:
    return ns_run(ns, "nft", "list", "ruleset").stdout


@pytest.fixture
def site(need, netns, links_in, standins):
    need("nft", "conntrack", "arping", "ping")
    host, ext = netns("host"), netns("ext")
    links = links_in(host)
    links.ensure_bridge("br100", gateway_address="10.0.0.1/24")
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", "192.168.100.2/24")
    links_in(ext).ensure_address("ext0", "192.168.100.1/24")
    config = nftables.NatConfig(
        public_interface="pub0",
        routing_source_ip="192.168.100.2",
        metadata_host="192.168.100.2",
        metadata_port=8775,
        dmz_cidrs=("172.31.0.0/16",),
    )
    runner = process.Runner(host)
    fw = firewall.Firewall(firewall.Nft(runner), runner, links, config, send_arp_count=1)
    fw.ensure_network("net1", "10.0.0.0/24")
    vm = standins(host).create(netns("vm"), interface_xml(MAC, "br100", target="tap-vm"))
    inside = links_in(vm.namespace)
    inside.ensure_address("eth0", "10.0.0.5/24")
    inside.ensure_default_route("eth0", "10.0.0.1")
    return SimpleNamespace(host=host, ext=ext, vm=vm.namespace, fw=fw, links=links)


def peer_seen_by_ext(site) -> str:
    return ns_run(
        site.vm, sys.executable, "-c", CLIENT.format(addr="192.168.100.1", port=7000)
    ).stdout.strip()


def test_outbound_is_snatted_to_routing_source_ip(site, background):
    background(site.ext, PEER_SERVER.format(addr="192.168.100.1", port=7000))
    assert peer_seen_by_ext(site) == "192.168.100.2"


def test_floating_ip_inbound_outbound_and_unbind(site, background):
    background(site.ext, PEER_SERVER.format(addr="192.168.100.1", port=7000))
    site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    local = ip_json(site.host, "-4", "route", "show", "table", "local", "dev", "pub0")
    assert {"type": "local", "dst": FLOATING} in [
        {"type": r.get("type"), "dst": r["dst"]} for r in local
    ]
    assert pings(site.ext, FLOATING)
    assert peer_seen_by_ext(site) == FLOATING

    site.fw.unbind_floating_ip(FLOATING, "10.0.0.5")
    site.fw.unbind_floating_ip(FLOATING, "10.0.0.5")
    assert not pings(site.ext, FLOATING)
    local = ip_json(site.host, "-4", "route", "show", "table", "local", "dev", "pub0")
    assert FLOATING not in [r["dst"] for r in local]
    assert peer_seen_by_ext(site) == "192.168.100.2"


def test_rebinding_moves_the_floating_ip(site):
    site.fw.bind_floating_ip(FLOATING, "10.0.0.9")
    site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    maps = ns_run(site.host, "nft", "list", "map", "ip", "netservice", "fip_dnat").stdout
    assert f"{FLOATING} : 10.0.0.5" in maps and "10.0.0.9" not in maps
    assert pings(site.ext, FLOATING)


def test_metadata_reaches_the_metadata_server(site, background):
    background(site.host, HTTP_SERVER.format(addr="192.168.100.2", port=8775))
    out = ns_run(site.vm, sys.executable, "-c", HTTP_CLIENT).stdout
    # Not SNATed on the way: the server sees the instance's fixed IP.
    assert out.strip() == "metadata for 10.0.0.5"


def test_spoofed_ip_or_mac_cannot_reach_the_gateway(site):
    site.fw.ensure_vnic("tap-vm", MAC, ["10.0.0.5"])
    assert pings(site.vm, "10.0.0.1")
    ns_run(site.vm, "ip", "addr", "add", "10.0.0.99/24", "dev", "eth0")
    assert not pings(site.vm, "10.0.0.1", source="10.0.0.99")
    assert pings(site.vm, "10.0.0.1", source="10.0.0.5")
    ns_run(site.vm, "ip", "link", "set", "eth0", "address", "fa:16:3e:66:66:66")
    ns_run(site.host, "ip", "neigh", "flush", "all")
    assert not pings(site.vm, "10.0.0.1", source="10.0.0.5")
    site.fw.remove_vnic("tap-vm")
    site.fw.remove_vnic("tap-vm")
    assert pings(site.vm, "10.0.0.1", source="10.0.0.5")


def test_dhcp_passes_the_anti_spoofing_filter(site, need, netns, standins, state_dir):
    need("dnsmasq", "udhcpc")
    site.fw.ensure_vnic("tap-dhcp", "fa:16:3e:00:00:07", ["10.0.0.7"])
    dnsmasq = Dnsmasq(state_dir, process.Runner(site.host))
    network = DhcpNetwork(
        "net1", "br100", "10.0.0.0/24", "10.0.0.1", "10.0.0.2", gateway="10.0.0.1"
    )
    dnsmasq.ensure(network, [DhcpHost("fa:16:3e:00:00:07", "vm7", "10.0.0.7")])
    try:
        harness = standins(site.host)
        vm = harness.create(netns("vm7"), interface_xml("fa:16:3e:00:00:07", "br100", "tap-dhcp"))
        assert harness.dhcp(vm).ip == "10.0.0.7"
        assert pings(vm.namespace, "10.0.0.1")
    finally:
        dnsmasq.stop("net1")


def test_reapply_is_a_no_op_and_removal_leaves_no_trace(site):
    site.fw.ensure_base()
    bare = nft_list(site.host)
    site.fw.remove_network("net1", "10.0.0.0/24")
    assert nft_list(site.host) != bare
    clean = nft_list(site.host)
    assert "net-net1" not in clean and "10.0.0.0/24" not in clean
    site.fw.ensure_network("net1", "10.0.0.0/24")
    site.fw.ensure_vnic("tap-vm", MAC, ["10.0.0.5"])
    once = nft_list(site.host)
    site.fw.ensure_base()
    site.fw.ensure_network("net1", "10.0.0.0/24")
    site.fw.ensure_vnic("tap-vm", MAC, ["10.0.0.5"])
    assert nft_list(site.host) == once
    site.fw.remove_vnic("tap-vm")
    site.fw.remove_network("net1", "10.0.0.0/24")
    site.fw.remove_network("net1", "10.0.0.0/24")
    assert nft_list(site.host) == clean
    site.fw.remove_all()
    site.fw.remove_all()
    assert nft_list(site.host).strip() == ""


def test_a_failing_batch_leaves_the_ruleset_intact(site):
    site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    before = nft_list(site.host)
    bad = nftables.network_batch(site.fw.config, "net2", "10.0.2.0/24") + (
        "add rule ip netservice no-such-chain accept\n"
    )
    with pytest.raises(exceptions.NftBatchFailed, match="no-such-chain"):
        site.fw.nft.apply(bad)
    assert nft_list(site.host) == before
    assert pings(site.ext, FLOATING)


def test_public_interface_missing_is_a_clear_error(site):
    site.links.remove_veth("pub0")
    with pytest.raises(exceptions.LinkNotFound, match="pub0"):
        site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    assert FLOATING not in nft_list(site.host)


def test_what_is_bound_can_be_read_back_for_a_reconciler(site):
    assert site.fw.network_ids() == {"net1"}
    site.fw.bind_floating_ip(FLOATING, "10.0.0.5")
    assert site.fw.floating_bindings() == {FLOATING: "10.0.0.5"}
    site.fw.ensure_network("net2", "10.0.2.0/24")
    # A reconciler cleaning up after a crash knows the id, not the cidr.
    site.fw.remove_network("net2")
    site.fw.remove_network("net2")
    assert site.fw.network_ids() == {"net1"}
    assert "10.0.2.0/24" not in nft_list(site.host)


UDP_ECHO = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("{addr}", {port}))
print("ready")
while True:
    data, peer = s.recvfrom(100)
    s.sendto(data + b" via " + peer[0].encode(), peer)
"""

UDP_CLIENT = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"hello", ("{addr}", {port}))
try:
    print(s.recv(100).decode())
except TimeoutError:
    print("timeout")
"""


def udp_from_ext(site, port):
    code = UDP_CLIENT.format(addr="192.168.100.2", port=port)
    return ns_run(site.ext, sys.executable, "-c", code).stdout.strip()


def test_vpn_dnat_forwards_udp_to_the_vpn_instance_and_leaves_no_trace(site, background):
    background(site.vm, UDP_ECHO.format(addr="10.0.0.5", port=1194))
    bare = nft_list(site.host)
    site.fw.ensure_vpn("192.168.100.2", 1000, "10.0.0.5")
    site.fw.ensure_vpn("192.168.100.2", 1000, "10.0.0.5")
    assert udp_from_ext(site, 1000) == "hello via 192.168.100.1"
    assert udp_from_ext(site, 1001) == "timeout"  # another port goes nowhere
    assert site.fw.vpn_forwards() == {("192.168.100.2", 1000): "10.0.0.5"}
    forward = ns_run(site.host, "nft", "list", "chain", "ip", "netservice", "forward").stdout
    assert "udp dport 1194 ip daddr @vpn_servers accept" in forward
    site.fw.remove_vpn("192.168.100.2", 1000)
    site.fw.remove_vpn("192.168.100.2", 1000)
    assert nft_list(site.host) == bare
    assert udp_from_ext(site, 1000) == "timeout"


def test_isolated_bridges_do_not_route_to_each_other(site, netns, standins, links_in):
    site.links.ensure_bridge("br101", gateway_address="10.0.1.1/24")
    other = standins(site.host).create(netns("vm2"), interface_xml("fa:16:3e:00:01:05", "br101"))
    inside = links_in(other.namespace)
    inside.ensure_address("eth0", "10.0.1.5/24")
    inside.ensure_default_route("eth0", "10.0.1.1")
    same = standins(site.host).create(netns("vm3"), interface_xml("fa:16:3e:00:00:06", "br100"))
    links_in(same.namespace).ensure_address("eth0", "10.0.0.6/24")
    assert pings(site.vm, "10.0.1.5")
    bare = nft_list(site.host)
    site.fw.isolate_bridge("br100")
    site.fw.isolate_bridge("br100")
    site.fw.isolate_bridge("br101")
    assert site.fw.isolated_bridges() == {"br100", "br101"}
    assert not pings(site.vm, "10.0.1.5")
    # Switched within one bridge (through the ip hooks too, with br_netfilter): unaffected.
    assert pings(site.vm, "10.0.0.6")
    assert pings(site.vm, "10.0.0.1") and pings(other.namespace, "192.168.100.2")
    # A floating IP stays reachable from the other network (it is DNATed).
    site.fw.bind_floating_ip(FLOATING, "10.0.1.5")
    assert pings(site.vm, FLOATING)
    site.fw.unisolate_bridge("br101")
    assert pings(site.vm, "10.0.1.5")
    site.fw.unbind_floating_ip(FLOATING, "10.0.1.5")
    site.fw.unisolate_bridge("br100")
    site.fw.unisolate_bridge("br100")
    assert nft_list(site.host) == bare


def test_an_isolated_bridge_is_cut_off_from_other_plugins_networks_too(
    site, netns, standins, links_in
):
    """A VLAN project network and a FlatDHCP network on one host: no routing either way."""
    site.links.ensure_bridge("br102", gateway_address="10.0.2.1/24")
    site.fw.ensure_network("flat_dhcp-2", "10.0.2.0/24")  # another plugin's, not isolated
    flat = standins(site.host).create(netns("vm4"), interface_xml("fa:16:3e:00:02:05", "br102"))
    inside = links_in(flat.namespace)
    inside.ensure_address("eth0", "10.0.2.5/24")
    inside.ensure_default_route("eth0", "10.0.2.1")
    assert pings(site.vm, "10.0.2.5") and pings(flat.namespace, "10.0.0.5")
    site.fw.isolate_bridge("br100")
    assert not pings(site.vm, "10.0.2.5")
    assert not pings(flat.namespace, "10.0.0.5")
    # Both still reach the outside.
    assert pings(site.vm, "192.168.100.1") and pings(flat.namespace, "192.168.100.1")
    site.fw.unisolate_bridge("br100")
    assert pings(site.vm, "10.0.2.5")
