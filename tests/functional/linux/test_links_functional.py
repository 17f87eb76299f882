"""Links against the real kernel, checked through /sys and iproute2."""

from __future__ import annotations

import select
import subprocess

import pytest

from netservice.linux import exceptions
from netservice.linux.testing import interface_xml, ip_json, ns_run, pings


def sys_read(ns: str, path: str) -> str:
    # `ip netns exec` remounts /sys, so this is the namespace's own view.
    return ns_run(ns, "cat", f"/sys/class/net/{path}").stdout.strip()


def no_netlink_events(ns: str, action) -> None:
    """Run ``action`` and assert the kernel emitted no link/address/route event.

    Marker links bracket the action, so the monitor is known to be listening
    before it and to have seen everything up to after it.
    """
    monitor = subprocess.Popen(
        ["ip", "-o", "-n", ns, "monitor", "link", "address", "route"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert monitor.stdout is not None
    events = []
    try:
        for attempt in range(100):
            ns_run(ns, "ip", "link", "add", f"marker0-{attempt}", "type", "bridge")
            if select.select([monitor.stdout], [], [], 0.05)[0]:
                break
        while "marker0" not in monitor.stdout.readline():
            pass
        action()
        ns_run(ns, "ip", "link", "add", "marker1", "type", "bridge")
        while "marker1" not in (line := monitor.stdout.readline()):
            if "marker0-" not in line:
                events.append(line.strip())
    finally:
        monitor.terminate()
        monitor.communicate()
    assert events == [], events


def test_bridge_enslaves_moves_addresses_and_routes_and_is_idempotent(netns, links_in):
    host = netns("host")
    links = links_in(host)
    links.ensure_veth("eth1", "eth1peer")
    ns_run(host, "ip", "addr", "add", "192.168.7.2/24", "dev", "eth1")
    ns_run(host, "ip", "route", "add", "10.99.0.0/16", "via", "192.168.7.254")

    def ensure() -> None:
        links.ensure_bridge("br100", "eth1", gateway_address="192.168.7.1/24", mtu=1400)

    ensure()
    assert sys_read(host, "br100/bridge/forward_delay") == "0"
    assert sys_read(host, "br100/bridge/stp_state") == "0"
    assert sys_read(host, "br100/operstate") in ("up", "unknown")
    assert sys_read(host, "br100/mtu") == "1400"
    assert ns_run(host, "readlink", "/sys/class/net/eth1/master").stdout.strip().endswith("br100")
    [br] = ip_json(host, "-4", "addr", "show", "dev", "br100")
    assert [a["local"] for a in br["addr_info"]] == ["192.168.7.1", "192.168.7.2"]
    assert all(not e["addr_info"] for e in ip_json(host, "-4", "addr", "show", "dev", "eth1"))
    routes = ip_json(host, "-4", "route", "show", "10.99.0.0/16")
    assert routes[0]["dev"] == "br100" and routes[0]["gateway"] == "192.168.7.254"
    assert ns_run(host, "sysctl", "-n", "net.ipv4.ip_forward").stdout.strip() == "1"

    no_netlink_events(host, ensure)


def test_remove_is_idempotent(netns, links_in):
    host = netns("host")
    links = links_in(host)
    links.ensure_bridge("br9")
    links.remove_bridge("br9")
    links.remove_bridge("br9")
    links.remove_veth("nothere")
    assert ns_run(host, "test", "-e", "/sys/class/net/br9", check=False).returncode != 0


def test_veth_across_namespaces_carries_traffic(netns, links_in):
    a, b = netns("a"), netns("b")
    links = links_in(a)
    links.ensure_veth("va", "vb", peer_namespace=b, peer_mac="fa:16:3e:12:34:56")
    links.ensure_veth("va", "vb", peer_namespace=b, peer_mac="fa:16:3e:12:34:56")
    assert sys_read(b, "vb/address") == "fa:16:3e:12:34:56"
    links.ensure_address("va", "172.16.0.1/30")
    links_in(b).ensure_address("vb", "172.16.0.2/30")
    assert pings(a, "172.16.0.2")
    links.remove_veth("va")
    assert ns_run(b, "test", "-e", "/sys/class/net/vb", check=False).returncode != 0


def test_vxlan_carries_same_vni_and_not_across(netns, links_in, standins):
    h1, h2 = netns("h1"), netns("h2")
    l1, l2 = links_in(h1), links_in(h2)
    l1.ensure_veth("u1", "u2", peer_namespace=h2)
    l1.ensure_address("u1", "192.168.50.1/24")
    l2.ensure_address("u2", "192.168.50.2/24")
    for links, local, remote in (
        (l1, "192.168.50.1", "192.168.50.2"),
        (l2, "192.168.50.2", "192.168.50.1"),
    ):
        for vni, bridge in ((100, "br-a"), (200, "br-b")):
            links.ensure_bridge(bridge)
            vx = links.ensure_vxlan(vni, local, "u1" if links is l1 else "u2", remote=remote)
            links.ensure_bridge(bridge, vx.ifname)
    assert ns_run(h1, "ip", "-d", "link", "show", "vxlan100").stdout.count("vxlan id 100") == 1

    def instance(host: str, name: str, mac: str, bridge: str, ip: str) -> str:
        standin = standins(host).create(name, interface_xml(mac, bridge))
        ns_run(standin.namespace, "ip", "addr", "add", ip, "dev", "eth0")
        return standin.namespace

    i1a = instance(h1, netns("i1a"), "fa:16:3e:00:01:01", "br-a", "10.1.0.1/24")
    instance(h2, netns("i2a"), "fa:16:3e:00:01:02", "br-a", "10.1.0.2/24")
    instance(h2, netns("i2b"), "fa:16:3e:00:01:03", "br-b", "10.1.0.3/24")
    assert pings(i1a, "10.1.0.2")
    assert not pings(i1a, "10.1.0.3")


def test_vlan_reaches_the_kernel(netns, links_in):
    host = netns("host")
    links = links_in(host)
    links.ensure_veth("eth1", "eth1peer")
    try:
        links.ensure_vlan_bridge(5, "eth1", mtu=1450)
    except exceptions.NoVlanSupport as exc:
        assert "no 802.1q support in this kernel" in str(exc)
        # The kernel refused; nothing was left behind.
        assert ns_run(host, "test", "-e", "/sys/class/net/vlan5", check=False).returncode != 0
        pytest.skip("no 802.1q support in this kernel")
    assert sys_read(host, "vlan5/mtu") == "1450"
    assert sys_read(host, "br5/mtu") == "1450"
    assert "vlan protocol 802.1Q id 5" in ns_run(host, "ip", "-d", "link", "show", "vlan5").stdout
    assert ns_run(host, "readlink", "/sys/class/net/vlan5/master").stdout.strip().endswith("br5")
