"""VLAN networks across two hosts: VXLAN (VNI = vlan id) and 802.1q.

Topology::

    A1, B1 -- br<A>, br<B> [host-1: network host, dnsmasq] u1 192.168.61.1
                                                            |  underlay / trunk
    A2, B2 -- br<A>, br<B> [host-2: compute host]          u2 192.168.61.2

host-1 serves both networks (its net-service runs in this process and is
reconciled by hand, so no wait depends on a resync); host-2 only runs the
agent, which makes each bridge over its own VXLAN or VLAN device because the
networks are not multi_host.  A2 and B2 get their addresses by DHCP from
host-1, across the tunnel.

On a kernel without 802.1q the vlan case runs up to the kernel's refusal,
checks the error, and skips with exactly "no 802.1q support in this kernel".
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netservice.core import bootstrap, exceptions
from netservice.ipam.planner import NetworkRequest
from netservice.linux import exceptions as linux_exceptions
from netservice.linux.testing import ns_run, pings, reaches
from netservice.testing.config import make_conf, write_config
from tests.functional.vlan.conftest import Capture, boot

NO_8021Q = "no 802.1q support in this kernel"


def host_config(state_dir, name, namespace, local, peer, segmentation, connection):
    vlan = {"segmentation": segmentation, "vlan_interface": "u1" if local.endswith(".1") else "u2"}
    if segmentation == "vxlan":
        vlan.update(vxlan_underlay=vlan["vlan_interface"], vxlan_local=local, vxlan_remotes=peer)
    return write_config(
        str(state_dir / name),
        ["vlan"],
        default="vlan",
        connection=connection,
        extra={"DEFAULT": {"host": name}, "linux": {"namespace": namespace}, "vlan": vlan},
    )


@pytest.fixture(params=["vxlan", "vlan"])
def hosts(request, need, netns, links_in, standins, state_dir):
    need("dnsmasq", "udhcpc", "dhcp_release", "nft", "ping", "tcpdump", "arping")
    need("netservice-dhcpbridge")
    h1, h2 = netns("h1"), netns("h2")
    links_in(h1).ensure_veth("u1", "u2", peer_namespace=h2)
    links_in(h1).ensure_address("u1", "192.168.61.1/24")
    links_in(h2).ensure_address("u2", "192.168.61.2/24")
    connection = f"sqlite:///{state_dir}/shared.sqlite"
    segmentation = request.param
    managers = []
    for name, ns, local, peer in (("host-1", h1, "192.168.61.1", "192.168.61.2"),
                                  ("host-2", h2, "192.168.61.2", "192.168.61.1")):  # fmt: skip
        path = host_config(state_dir, name, ns, local, peer, segmentation, connection)
        manager = bootstrap.open_services(make_conf(path))
        bootstrap.sync_schema(manager)
        managers.append(manager)
    one, two = (m.get("vlan") for m in managers)
    # VNIs past 802.1q's 4094 in vxlan mode.
    start = 5000 if segmentation == "vxlan" else 100
    one.networks.create(NetworkRequest(label="p", cidr="10.50.0.0/16", num_networks=2,
                                       network_size=256, vlan_start=start))  # fmt: skip
    service = one.get_net_service()
    yield SimpleNamespace(
        segmentation=segmentation, h1=h1, h2=h2, one=one, two=two, service=service,
        start=start, netns=netns, harness1=standins(h1), harness2=standins(h2), state=state_dir,
    )  # fmt: skip
    for manager in managers:
        manager.database.dispose()


def refused_by_the_kernel(hosts, error):
    """vlan mode on a kernel without 802.1q: both the network host and the agent say so."""
    assert hosts.segmentation == "vlan", error
    assert NO_8021Q in str(error)
    # Nothing half-made: no VLAN device, no bridge, no dnsmasq.
    for name in (f"vlan{hosts.start}", f"br{hosts.start}"):
        assert ns_run(hosts.h1, "test", "-e", f"/sys/class/net/{name}", check=False).returncode
    assert not list(hosts.state.glob("host-1/state/dnsmasq/*/pid"))
    with pytest.raises(exceptions.ServiceUnavailable, match=NO_8021Q.replace(".", r"\.")):
        boot(hosts.two, hosts.harness2, hosts.netns, "a2", "p1")
    pytest.skip(NO_8021Q)


def test_a_projects_instances_on_two_hosts_reach_each_other_and_nothing_else(hosts):
    try:
        hosts.service.reconcile()
    except linux_exceptions.NoVlanSupport as error:
        refused_by_the_kernel(hosts, error)
    a = hosts.start
    device = "vxlan" if hosts.segmentation == "vxlan" else "vlan"
    settle = hosts.service.reconcile
    a1 = boot(hosts.one, hosts.harness1, hosts.netns, "a1", "p1", settle=settle)
    b1 = boot(hosts.one, hosts.harness1, hosts.netns, "b1", "p2", settle=settle)
    a2 = boot(hosts.two, hosts.harness2, hosts.netns, "a2", "p1", settle=settle)
    # host-2's agent made the bridge over the network's own device, with no address.
    detail = ns_run(hosts.h2, "ip", "-d", "link", "show", f"{device}{a}").stdout
    assert (f"vxlan id {a} " if device == "vxlan" else f"802.1Q id {a} ") in detail
    master = ns_run(hosts.h2, "readlink", f"/sys/class/net/{device}{a}/master").stdout
    assert master.strip().endswith(f"br{a}")
    assert "inet " not in ns_run(hosts.h2, "ip", "-4", "addr", "show", f"br{a}").stdout
    assert a2.lease.ip == a2.address and a2.lease.router == "10.50.0.1"  # DHCP across the tunnel
    # B boots on host-2 and talks to B1 (DHCP, ARP broadcasts, pings) while
    # tcpdump watches A's wires: none of it shows up there.
    watch = (
        f"ether src {b1.mac} or src net 10.50.1.0/24 or arp net 10.50.1.0/24 "
        "or udp port 67 or udp port 68"
    )
    captures = [Capture(a1.ns, watch), Capture(a2.ns, watch)]
    b2 = boot(hosts.two, hosts.harness2, hosts.netns, "b2", "p2", settle=settle)
    assert (b2.lease.ip, b2.lease.router) == (b2.address, "10.50.1.1")
    assert reaches(b1.ns, b2.address) and reaches(b2.ns, b1.address)
    arping = ns_run(b2.ns, "arping", "-c", "2", "-w", "3", "-I", "eth0", b1.address, check=False)
    assert arping.returncode == 0
    assert [c.stop() for c in captures] == [[], []]
    # A's instances reach each other and their gateway across hosts, not B's.
    seen = Capture(a2.ns, f"ether src {a1.mac}")
    assert reaches(a1.ns, a2.address) and reaches(a2.ns, a1.address)
    assert reaches(a2.ns, "10.50.0.1")
    assert seen.stop()  # the capture does see what is meant for A
    assert not pings(a2.ns, b2.address) and not pings(a1.ns, b1.address)
