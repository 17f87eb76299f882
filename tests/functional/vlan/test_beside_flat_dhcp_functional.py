"""FlatDHCP and VLAN side by side on one network host, every default: the
networks the docs' commands create (``docs/flat_dhcp.md``'s ``network create
--label demo --fixed_range_v4 10.20.0.0/24``, ``docs/vlan.md``'s ``network
create 10.0.0.0/16 3 16``) get bridges of their own, and an instance of each
cannot reach the other's.

Topology::

    d1 (dhcp1) -- br100 10.20.0.1 --+ host "host-a", one netservice-network
    v1 (p1)    -- br200 10.0.0.1  --+ serving both (vxlan200 over under0)

Before, VLAN's first network was vlan 100 and its bridge br100: FlatDHCP's.
"""

from __future__ import annotations

import signal
import subprocess

import pytest

from netservice.core import bootstrap
from netservice.core.programs import script
from netservice.dhcp.agent import port_name
from netservice.linux.testing import ip_json, ns_run, pings, poll, reaches
from netservice.testing.config import make_conf, write_config
from tests.functional.vlan.conftest import boot


def run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


@pytest.fixture
def site(need, netns, links_in, standins, state_dir):
    need("dnsmasq", "udhcpc", "nft", "ping")
    need("netservice-network", "netservice-vlan-manage", "netservice-flat-dhcp-manage")
    host = netns("host")
    links = links_in(host)
    links.ensure_veth("under0", "under0p")
    links.ensure_address("under0", "192.168.60.1/24")
    # Nothing about bridges, vlan ids or VNIs: every plugin default applies.
    config = write_config(
        str(state_dir / "cfg"),
        ["flat_dhcp", "vlan"],
        default="vlan",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {"namespace": host, "public_interface": ""},
            "vlan": {
                "segmentation": "vxlan",
                "vxlan_underlay": "under0",
                "vxlan_local": "192.168.60.1",
                "vxlan_remotes": "192.168.60.2",
            },
        },
    )
    conf = ["--config-file", config]
    run(script("netservice-manage"), *conf, "db", "sync")
    run(script("netservice-manage"), *conf, "project", "network_set", "dhcp1", "flat_dhcp")
    run(script("netservice-flat-dhcp-manage"), *conf, "network", "create", "--label", "demo",
        "--fixed_range_v4", "10.20.0.0/24")  # fmt: skip
    run(script("netservice-vlan-manage"), *conf, "network", "create", "10.0.0.0/16", "3", "16")
    manager = bootstrap.open_services(make_conf(config))
    netsvc = subprocess.Popen(
        [script("netservice-network"), *conf], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield host, manager, standins(host)
    finally:
        netsvc.send_signal(signal.SIGTERM)
        netsvc.wait(timeout=15)
        manager.database.dispose()


def master(ns: str, ifname: str) -> str:
    """The bridge ``ifname`` is enslaved to, read from sysfs (not from our code)."""
    return ns_run(ns, "readlink", f"/sys/class/net/{ifname}/master").stdout.strip().rsplit("/")[-1]


def test_default_networks_get_their_own_bridges_and_their_instances_stay_apart(site, netns):
    host, manager, harness = site
    flat_dhcp, vlan = manager.get("flat_dhcp"), manager.get("vlan")
    assert [n.bridge for n in flat_dhcp.networks.list()] == ["br100"]
    assert [(n.vlan, n.bridge) for n in vlan.networks.list()] == [
        (200, "br200"), (201, "br201"), (202, "br202"),
    ]  # fmt: skip

    d1 = boot(flat_dhcp, harness, netns, "d1", "dhcp1")
    v1 = boot(vlan, harness, netns, "v1", "p1")
    assert (d1.lease.ip, d1.lease.router) == ("10.20.0.2", "10.20.0.1")
    assert (v1.lease.ip, v1.lease.router) == (v1.address, "10.0.0.1")
    # In the kernel: each instance's port on its own bridge; br100 holds d1's port
    # only, br200 v1's and VNI 200's VXLAN device.
    masters = {link["ifname"]: link.get("master") for link in ip_json(host, "link", "show")}
    assert masters[port_name(d1.vnic)] == "br100" and masters[port_name(v1.vnic)] == "br200"
    assert [name for name, bridge in masters.items() if bridge == "br100"] == [port_name(d1.vnic)]
    assert sorted(name for name, bridge in masters.items() if bridge == "br200") == sorted(
        [port_name(v1.vnic), "vxlan200"]
    )
    assert master(host, "vxlan200") == "br200"  # the same, from sysfs

    # Each reaches its own gateway, so the refusals below are on paths that work.
    assert reaches(d1.ns, "10.20.0.1") and reaches(v1.ns, "10.0.0.1")
    assert not pings(d1.ns, v1.address) and not pings(v1.ns, d1.address)

    # Not by chance: the host routes between the two once VLAN's isolation goes
    # (the net-service puts it back at its next pass, so flush right before each try).
    def without_isolation():
        for name in ("isolation", "isolation_in"):
            ns_run(host, "nft", "flush", "map", "ip", "netservice", name)
        return pings(d1.ns, v1.address)

    poll(without_isolation, timeout=15)
