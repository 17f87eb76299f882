"""VLAN end to end on one network host: a real netservice-network, two projects
each with its own network, bridge and dnsmasq, stand-in instances by DHCP, the
isolation between the projects, and the VPN DNAT seen from outside.

Topology::

    A1, A2, VPN(A) -- br200 10.40.0.1 --+
                                        | host "host-a" | pub0 192.168.200.2 -- ext 192.168.200.1
    B1             -- br201 10.40.1.1 --+   (vxlan200 and vxlan201 over under0 192.168.60.1)

This kernel has no 802.1q, so the networks are segmented with VXLAN (the
same reconciler path; ``test_segmentation_functional`` covers both modes).
The net-service runs as its own process on SQLite, so it learns of changes
by its periodic resync (1 s here); every wait polls.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from netservice.core import bootstrap
from netservice.core.programs import script
from netservice.linux.testing import ns_run, pings, poll
from netservice.testing.config import make_conf, write_config
from tests.functional.linux.test_firewall_functional import UDP_CLIENT, UDP_ECHO
from tests.functional.vlan.conftest import boot

PUBLIC = "192.168.200.2"


def run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


@pytest.fixture
def site(need, netns, links_in, standins, state_dir):
    need("dnsmasq", "udhcpc", "dhcp_release", "nft", "conntrack", "ping")
    need("netservice-network", "netservice-vlan-manage", "netservice-dhcpbridge")
    host, ext = netns("host"), netns("ext")
    links = links_in(host)
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", f"{PUBLIC}/24")
    links_in(ext).ensure_address("ext0", "192.168.200.1/24")
    links.ensure_veth("under0", "under0p")
    links.ensure_address("under0", "192.168.60.1/24")
    config = write_config(
        str(state_dir / "cfg"),
        ["vlan"],
        default="vlan",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {
                "namespace": host,
                "public_interface": "pub0",
                "routing_source_ip": PUBLIC,
                "dnsmasq_log_to_file": True,
                "send_arp_for_ha_count": 1,
            },
            "vlan": {
                "segmentation": "vxlan",
                "vxlan_underlay": "under0",
                "vxlan_local": "192.168.60.1",
                "vxlan_remotes": "192.168.60.2",
                "vpn_ip": PUBLIC,
            },
        },
    )
    run(script("netservice-manage"), "--config-file", config, "db", "sync")
    manage = [script("netservice-vlan-manage"), "--config-file", config]
    run(*manage, "network", "create", "10.40.0.0/16", "2", "256")
    manager = bootstrap.open_services(make_conf(config))
    netsvc = subprocess.Popen(
        [script("netservice-network"), "--config-file", config],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield SimpleNamespace(
        host=host, ext=ext, manage=manage, plugin=manager.get("vlan"), netns=netns,
        harness=standins(host), state=Path(state_dir / "cfg" / "state"),
    )  # fmt: skip
    netsvc.send_signal(signal.SIGTERM)
    netsvc.wait(timeout=15)
    manager.database.dispose()


def dnsmasq_pids(site):
    return {path.parent.name for path in site.state.glob("dnsmasq/*/pid")}


def test_two_projects_each_get_their_own_network_and_cannot_reach_each_other(site):
    a1 = boot(site.plugin, site.harness, site.netns, "a1", "p1")
    a2 = boot(site.plugin, site.harness, site.netns, "a2", "p1")
    b1 = boot(site.plugin, site.harness, site.netns, "b1", "p2")
    # Each instance got the address the database allocated, on its project's network.
    assert [(i.lease.ip, i.lease.router) for i in (a1, a2, b1)] == [
        (a1.address, "10.40.0.1"), (a2.address, "10.40.0.1"), (b1.address, "10.40.1.1"),
    ]  # fmt: skip
    assert [n.project_id for n in site.plugin.networks.list()] == ["p1", "p2"]
    for bridge, vni in (("br200", "200"), ("br201", "201")):
        assert (
            "vxlan id " + vni
            in ns_run(site.host, "ip", "-d", "link", "show", f"vxlan{vni}").stdout
        )
        master = ns_run(site.host, "readlink", f"/sys/class/net/vxlan{vni}/master").stdout
        assert master.strip().endswith(bridge)
    assert len(dnsmasq_pids(site)) == 2  # one dnsmasq per network
    # A reaches its gateway and its other instance; B's instance is out of reach.
    # Wait for what is reachable (the first echo may wait on ARP), so the
    # refusals below are checked on paths known to work.
    poll(lambda: pings(a1.ns, "10.40.0.1") and pings(a1.ns, a2.address), timeout=15)
    poll(lambda: pings(b1.ns, "10.40.1.1"), timeout=15)
    assert not pings(a1.ns, b1.address) and not pings(a2.ns, b1.address)
    assert not pings(b1.ns, a1.address)

    # Not by chance: the host routes A's traffic to B once isolation goes.  The
    # net-service puts the rules back at its next pass, so flush right before
    # each try.
    def without_isolation():
        for name in ("isolation", "isolation_in"):
            ns_run(site.host, "nft", "flush", "map", "ip", "netservice", name)
        return pings(a1.ns, b1.address)

    poll(without_isolation, timeout=15)


def test_the_vpn_dnat_reaches_the_vpn_instance_and_follows_vpn_change(site, background):
    vpn = boot(site.plugin, site.harness, site.netns, "vpn", "p1", vpn=True)
    assert vpn.lease.ip == vpn.address == "10.40.0.2"  # the network's reserved VPN address
    background(vpn.ns, UDP_ECHO.format(addr="10.40.0.2", port=1194))

    def udp(port):
        code = UDP_CLIENT.format(addr=PUBLIC, port=port)
        return ns_run(site.ext, sys.executable, "-c", code).stdout.strip()

    assert site.plugin.get_os_service().get_project_vpn_address_and_port(None, "p1") == (
        PUBLIC, 1000,
    )  # fmt: skip
    poll(lambda: udp(1000) == "hello via 192.168.200.1", timeout=15)
    run(*site.manage, "vpn", "change", "--project", "p1", "--ip", PUBLIC, "--port", "1194")
    poll(lambda: udp(1194) == "hello via 192.168.200.1", timeout=15)
    assert udp(1000) == "timeout"
    forwards = ns_run(site.host, "nft", "list", "map", "ip", "netservice", "vpn_dnat").stdout
    assert f"{PUBLIC} . 1194 : 10.40.0.2 . 1194" in forwards and ". 1000 :" not in forwards
