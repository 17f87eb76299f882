"""Real QEMU guests through libvirt, built around exactly the agents' XML.

Topology (one "host" namespace holding the bridges, libvirtd and its taps)::

    ga (eth0 br140, eth1 br141), gb (br140)  -- FlatDHCP, project p1, by DHCP
    gf (br150, the operator's, 10.50.0.1)    -- Flat, project p2, injected
    host: pub0 192.168.200.2 (metadata :8775) -- ext 192.168.200.1

Guests boot in parallel through ``netservice-compute boot`` with
``[compute] hypervisor = libvirt``; each prints what its console reported.
The tier's timings are printed (``pytest -s``) for the issue's note.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest

from netservice.compute.libvirt import interface_xml
from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.linux import exceptions, guestimage, libvirt_schema
from netservice.linux.guests import Guest, LibvirtGuests
from netservice.linux.testing import ns_run, pings, poll
from netservice.testing.config import make_conf, write_config
from tests.functional.linux.test_firewall_functional import HTTP_SERVER

P1 = RequestContext(project_id="p1")
PUBLIC = "192.168.200.2"
# busybox-static's wget crashes (static glibc); nc speaks HTTP/1.0 as well.
METADATA = (
    "printf 'GET /latest/meta-data/ HTTP/1.0\\r\\n\\r\\n' | nc -w 5 169.254.169.254 80 "
    "| sed '1,/^\\r*$/d'"
)


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)
    if check:
        assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done


@pytest.fixture
def site(need, netns, links_in, state_dir, background, libvirtd):
    need("dnsmasq", "nft", "ping", "netservice-compute", "netservice-network")
    host, ext = netns("host"), netns("ext")
    links = links_in(host)
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", f"{PUBLIC}/24")
    links_in(ext).ensure_address("ext0", "192.168.200.1/24")
    links_in(ext).ensure_default_route("ext0", PUBLIC)
    links.ensure_bridge("br150")  # Flat: the operator's bridge and gateway
    links.ensure_address("br150", "10.50.0.1/24")
    background(host, HTTP_SERVER.format(addr=PUBLIC, port=8775))
    started = time.monotonic()
    daemon = libvirtd(host)
    daemon_seconds = time.monotonic() - started
    config = write_config(
        str(state_dir / "cfg"),
        ["flat", "flat_dhcp"],
        default="flat_dhcp",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {
                "namespace": host,
                "public_interface": "pub0",
                "routing_source_ip": PUBLIC,
                "metadata_host": PUBLIC,
                "metadata_port": 8775,
                "send_arp_for_ha_count": 1,
            },
            "flat": {"flat_injected": "true"},
            "compute": {"hypervisor": "libvirt", "libvirt_uri": daemon.uri},
        },
    )
    fd = [script("netservice-flat-dhcp-manage"), "--config-file", config]
    for label, cidr, bridge in (("a", "10.40.0.0/24", "br140"), ("b", "10.41.0.0/24", "br141")):
        run(*fd, "network", "create", "--label", label, "--fixed_range_v4", cidr,
            "--bridge", bridge)  # fmt: skip
    run(*fd, "floating", "create", "--ip_range", "192.168.200.32/28")
    run(script("netservice-flat-manage"), "--config-file", config, "network", "create",
        "--label", "f", "--fixed_range_v4", "10.50.0.0/24", "--bridge", "br150")  # fmt: skip
    manage = [script("netservice-manage"), "--config-file", config, "project", "network_set"]
    run(*manage, "p1", "flat_dhcp")
    run(*manage, "p2", "flat")
    manager = bootstrap.open_services(make_conf(config))
    netsvc = subprocess.Popen(
        [script("netservice-network"), "--config-file", config],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state = state_dir / "cfg" / "state"
    guests = LibvirtGuests(daemon.uri, state / "instances", guestimage.build(state))
    yield SimpleNamespace(
        host=host, ext=ext, config=config, manager=manager, daemon=daemon, guests=guests,
        compute=[script("netservice-compute"), "--config-file", config],
        daemon_seconds=daemon_seconds,
    )  # fmt: skip
    stop(netsvc)
    manager.database.dispose()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not stopped in 30 s (a loaded CI machine)."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def boot_all(site, boots: dict[str, list[str]]) -> dict[str, SimpleNamespace]:
    """Run every ``netservice-compute boot`` at once; each waits for its guest's report."""
    started = time.monotonic()
    procs = {
        name: subprocess.Popen(
            [*site.compute, "boot", "--instance", name, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in boots.items()
    }
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"boot {name}: {err}"
        results[name] = SimpleNamespace(
            out=out, seconds=time.monotonic() - started, nics=_nics(out), console=_console(out)
        )
    return results


def _nics(out: str) -> list[str]:
    """``inet=`` of each NIC line: ``ga eth0 MAC on BRIDGE: inet=10.40.0.2/24, (dhcp)``."""
    return [line.split(": ", 1)[1] for line in out.splitlines() if " console: " not in line]


def _console(out: str) -> list[str]:
    return [line.split(" console: ", 1)[1] for line in out.splitlines() if " console: " in line]


def address(result: SimpleNamespace, position: int = 0) -> str:
    return result.nics[position].split("inet=")[1].split("/")[0]


def guest_pings(site, name: str, target: str, source: str | None = None) -> bool:
    flag = f"-I {source} " if source else ""
    status, _ = site.guests.shell(_guest(site, name), f"ping -c1 -W2 {flag}{target}")
    return status == 0


def _guest(site, name):
    return Guest(name, (), site.guests.state / name / "console.log",
                 site.guests.state / name / "control.sock")  # fmt: skip


def test_the_old_flat_xml_is_refused_and_the_new_one_boots(site):
    old = interface_xml("fa:16:3e:00:00:99", "br150", filter_name="netservice-vnic-old")
    assert libvirt_schema.interface_errors(old) is None  # valid XML, yet refused:
    with pytest.raises(exceptions.CommandFailed, match="filter 'netservice-vnic-old'"):
        site.guests.create("old-flat", [old], None)
    assert "old-flat" not in site.guests.names()
    booted = boot_all(site, {"gf": ["--project", "p2", "--legacy"]})["gf"]
    assert "config injected" in booted.console
    assert booted.nics[0].startswith("inet=10.50.0.2/24") and "(injected)" in booted.nics[0]


def test_guests_of_each_plugin(site):
    plugin = site.manager.get("flat_dhcp")
    nets = {n.label: n.uuid for n in plugin.networks.list()}
    first, second, third = (
        plugin.vnics.create(P1, network=nets[label]).id for label in ("a", "b", "a")
    )
    booted = boot_all(
        site,
        {
            "ga": ["--project", "p1", "--vnic", first, "--vnic", second],
            "gb": ["--project", "p1", "--vnic", third],
            "gf": ["--project", "p2", "--legacy"],
        },
    )
    ga, gb, gf = booted["ga"], booted["gb"], booted["gf"]
    print(f"\nlibvirtd up in {site.daemon_seconds:.1f}s")
    for name, result in booted.items():
        print(f"{name} booted in {result.seconds:.1f}s (parallel): {result.nics}")
    # Every interface libvirt ran is valid against its schema.
    for name in booted:
        xml = (site.guests.state / name / "domain.xml").read_text()
        assert libvirt_schema.errors(xml, "domain") is None

    # FlatDHCP: both NICs by DHCP from the network host's dnsmasq, one default route.
    assert address(ga, 0).startswith("10.40.0.") and address(ga, 1).startswith("10.41.0.")
    assert all("(dhcp)" in nic for nic in ga.nics)
    assert "route default via 10.40.0.1 dev eth0" in ga.console
    assert address(gb).startswith("10.40.0.")
    # Flat: the injected /etc/network/interfaces, applied by ifup in the guest.
    assert "config injected" in gf.console and address(gf) == "10.50.0.2"
    assert "route default via 10.50.0.1 dev eth0" in gf.console

    # Reachability inside each network, and the metadata address from inside.
    assert poll(lambda: guest_pings(site, "ga", address(gb)), timeout=20)
    assert guest_pings(site, "ga", "10.41.0.1")
    assert guest_pings(site, "gf", "10.50.0.1")
    status, out = site.guests.shell(_guest(site, "ga"), METADATA)
    assert (status, out.strip()) == (0, f"metadata for {address(ga)}")

    # Flat's anti-spoofing now lives in nftables on the compute host.
    site.guests.shell(_guest(site, "gf"), "ip addr add 10.50.0.99/24 dev eth0")
    assert not guest_pings(site, "gf", "10.50.0.1", source="10.50.0.99")
    assert guest_pings(site, "gf", "10.50.0.1", source="10.50.0.2")

    # A floating IP, pinged from outside.
    floating = plugin.floating.allocate(P1, "p1").address
    plugin.floating.associate(P1, floating, address(ga), "host-a")
    assert poll(lambda: pings(site.ext, floating), timeout=20)

    shown = json.loads(run(*site.compute, "show", "--project", "p1", "--instance", "ga").stdout)
    assert [i["cidr"] for i in shown["network_info"]] == ["10.40.0.0/24", "10.41.0.0/24"]

    # Terminate leaves no domain, tap or rule behind.
    plugin.floating.disassociate(P1, floating)
    for name, project in (("ga", "p1"), ("gb", "p1"), ("gf", "p2")):
        out = run(*site.compute, "terminate", "--project", project, "--instance", name).stdout
        assert "torn down" in out
    assert site.guests.names() == []
    links = ns_run(site.host, "ip", "-o", "link", "show").stdout
    assert "tap" not in links, links
    rules = ns_run(site.host, "nft", "-j", "list", "map", "bridge", "netservice", "vnic_ports")
    assert '"elem"' not in rules.stdout, rules.stdout


@pytest.fixture
def vlan_site(need, netns, links_in, state_dir, libvirtd):
    """VLAN, segmented with VXLAN as in tests/functional/vlan: this kernel has no 802.1q."""
    need("dnsmasq", "nft", "netservice-compute", "netservice-network", "netservice-vlan-manage")
    host = netns("host")
    links = links_in(host)
    links.ensure_veth("pub0", "ext0")
    links.ensure_address("pub0", f"{PUBLIC}/24")
    links.ensure_veth("under0", "under0p")
    links.ensure_address("under0", "192.168.60.1/24")
    daemon = libvirtd(host)
    config = write_config(
        str(state_dir / "vcfg"),
        ["vlan"],
        default="vlan",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {"namespace": host, "public_interface": "pub0",
                      "routing_source_ip": PUBLIC, "send_arp_for_ha_count": 1},
            "vlan": {"segmentation": "vxlan", "vxlan_underlay": "under0",
                     "vxlan_local": "192.168.60.1", "vxlan_remotes": "192.168.60.2",
                     "vpn_ip": PUBLIC},
            "compute": {"hypervisor": "libvirt", "libvirt_uri": daemon.uri},
        },
    )  # fmt: skip
    run(script("netservice-manage"), "--config-file", config, "db", "sync")
    run(script("netservice-vlan-manage"), "--config-file", config, "network", "create",
        "10.60.0.0/16", "2", "256")  # fmt: skip
    netsvc = subprocess.Popen(
        [script("netservice-network"), "--config-file", config],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state = state_dir / "vcfg" / "state"
    guests = LibvirtGuests(daemon.uri, state / "instances", guestimage.build(state))
    yield SimpleNamespace(
        host=host, guests=guests, compute=[script("netservice-compute"), "--config-file", config]
    )  # fmt: skip
    stop(netsvc)


def test_vlan_guests_by_dhcp_and_another_project_is_unreachable(vlan_site):
    site = vlan_site
    booted = boot_all(
        site,
        {
            "va1": ["--project", "p3", "--legacy"],
            "va2": ["--project", "p3", "--legacy"],
            "vb1": ["--project", "p4", "--legacy"],
        },
    )
    for name, result in booted.items():
        print(f"{name} booted in {result.seconds:.1f}s (parallel): {result.nics}")
    va1, va2, vb1 = booted["va1"], booted["va2"], booted["vb1"]
    assert all("(dhcp)" in r.nics[0] for r in booted.values())
    # Each project claimed a network of its own (which first is a race).
    subnet = {name: address(r).rsplit(".", 1)[0] for name, r in booted.items()}
    assert subnet["va1"] == subnet["va2"] != subnet["vb1"]
    assert {subnet["va1"], subnet["vb1"]} == {"10.60.0", "10.60.1"}
    assert f"route default via {subnet['va1']}.1 dev eth0" in va1.console
    assert poll(lambda: guest_pings(site, "va1", address(va2)), timeout=20)
    assert guest_pings(site, "vb1", f"{subnet['vb1']}.1")
    # Another project's guest is out of reach, by its address and its gateway.
    assert not guest_pings(site, "va1", address(vb1))
    assert not guest_pings(site, "vb1", address(va1))
    for name, project in (("va1", "p3"), ("va2", "p3"), ("vb1", "p4")):
        run(*site.compute, "terminate", "--project", project, "--instance", name)
    assert site.guests.names() == []
    assert "tap" not in ns_run(site.host, "ip", "-o", "link", "show").stdout
