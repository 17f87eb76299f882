"""FlatDHCP end to end: the manage tool, the OS service, the agent, a real
netservice-network on a "host" namespace, stand-in instances with udhcpc,
floating IPs seen from an "external" namespace, and a crash of the net-service.

Topology::

    vm1, vm2 -- [br100 10.20.0.1 | host "host-a" | pub0 192.168.200.2] -- ext 192.168.200.1

The net-service runs as its own process on SQLite, so it learns of changes by
its periodic resync (1 s here) rather than by notification; every wait polls.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.dhcp.agent import port_name
from netservice.linux.testing import ns_run, pings, poll, reaches
from netservice.testing.config import make_conf, write_config
from tests.functional.linux.test_firewall_functional import HTTP_CLIENT, HTTP_SERVER

CTX = RequestContext(project_id="p1")
GATEWAY = "10.20.0.1"


def run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


class NetServiceProcess:
    def __init__(self, config: str) -> None:
        self.config = config
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [script("netservice-network"), "--config-file", self.config],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def kill(self, signum: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signum)
            self.proc.wait(timeout=15)
        self.proc = None


@pytest.fixture
def site(need, netns, links_in, standins, state_dir, background):
    need("dnsmasq", "udhcpc", "dhcp_release", "nft", "conntrack", "ping")
    need("netservice-network", "netservice-flat-dhcp-manage", "netservice-dhcpbridge")
    host, ext = netns("host"), netns("ext")
    links = links_in(host)
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", "192.168.200.2/24")
    links_in(ext).ensure_address("ext0", "192.168.200.1/24")
    links_in(ext).ensure_default_route("ext0", "192.168.200.2")
    background(host, HTTP_SERVER.format(addr="192.168.200.2", port=8775))
    config = write_config(
        str(state_dir / "cfg"),
        ["flat_dhcp"],
        default="flat_dhcp",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {
                "namespace": host,
                "public_interface": "pub0",
                "routing_source_ip": "192.168.200.2",
                "metadata_host": "192.168.200.2",
                "metadata_port": 8775,
                "dnsmasq_log_to_file": True,
                "send_arp_for_ha_count": 1,
            },
        },
    )
    manage = [script("netservice-flat-dhcp-manage"), "--config-file", config]
    run(*manage, "network", "create", "--label", "private", "--fixed_range_v4",
        "10.20.0.0/24", "--bridge", "br100")  # fmt: skip
    run(
        script("netservice-manage"),
        "--config-file",
        config,
        "project",
        "network_set",
        "p1",
        "flat_dhcp",
    )
    run(*manage, "floating", "create", "--ip_range", "192.168.200.32/28")
    manager = bootstrap.open_services(make_conf(config))
    netsvc = NetServiceProcess(config)
    netsvc.start()
    plugin = manager.get("flat_dhcp")
    yield SimpleNamespace(
        host=host, ext=ext, config=config, plugin=plugin, netsvc=netsvc,
        harness=standins(host), netns=netns, state=Path(state_dir / "cfg" / "state"),
    )  # fmt: skip
    netsvc.kill(signal.SIGTERM)
    manager.database.dispose()


def fixed_row(plugin, address):
    f = plugin.schema.fixed_ip
    with plugin.context.database.transaction() as session:
        return session.execute(sa.select(f).where(f.address == address)).scalar_one()


def boot(site, name):
    """A VNIC from the OS service, bound and set up by the agent, and its stand-in."""
    agent = site.plugin.get_net_agent()
    vnic = site.plugin.get_os_service().get_default_vnic_id(CTX)
    agent.bind_vnics_to_ports(CTX, [vnic])
    agent.setup_compute_network(CTX, [vnic])
    agent.setup_compute_network(CTX, [vnic])  # idempotent
    address = agent.get_network_info(CTX, vnic)["ip_address"]
    vm = site.harness.create(site.netns(name), agent.get_interface_xml(CTX, vnic))
    # The net-service adds the host entry on its next pass; udhcpc retries.
    lease = poll(lambda: _try_dhcp(site, vm), timeout=20, interval=0.2)
    return SimpleNamespace(vnic=vnic, address=address, vm=vm, lease=lease)


def _try_dhcp(site, vm):
    try:
        return site.harness.dhcp(vm, attempts=2)
    except Exception:
        return None


def dnsmasq_hosts(site):
    hosts = {}
    for path in site.state.glob("dnsmasq/*/hosts.d/*"):
        line = path.read_text().strip()
        if not line.endswith(",ignore"):
            hosts[path.name] = line
    return hosts


def dnsmasq_main_pids(site):
    """The pid files of every network's dnsmasq, each checked to be alive."""
    pids = {}
    for path in site.state.glob("dnsmasq/*/pid"):
        pid = int(path.read_text().strip())
        if Path(f"/proc/{pid}").exists():
            pids[path.parent.name] = pid
    return pids


def ruleset(site):
    return ns_run(site.host, "nft", "list", "ruleset").stdout


def test_flat_dhcp_end_to_end(site):
    plugin, agent = site.plugin, site.plugin.get_net_agent()
    # 2-3. Two instances; each gets exactly the address the database allocated.
    one, two = boot(site, "vm1"), boot(site, "vm2")
    assert (one.lease.ip, two.lease.ip) == (one.address, two.address)
    assert one.lease.router == GATEWAY
    poll(lambda: fixed_row(plugin, one.address).leased and fixed_row(plugin, two.address).leased)
    assert reaches(one.vm.namespace, two.address) and reaches(two.vm.namespace, GATEWAY)

    # 4. A floating IP: reachable from outside while associated, not after.
    floating = plugin.floating.allocate(CTX, "p1").address
    plugin.floating.associate(CTX, floating, one.address, "host-a")
    poll(lambda: pings(site.ext, floating), timeout=15)
    plugin.floating.disassociate(CTX, floating)
    poll(lambda: not pings(site.ext, floating), timeout=15)

    # 5. Metadata reaches the metadata host, unSNATed.
    out = ns_run(one.vm.namespace, sys.executable, "-c", HTTP_CLIENT).stdout
    assert out.strip() == f"metadata for {one.address}"

    # 6. Tear one down: released through dnsmasq, reusable, and no trace left.
    agent.teardown_compute_network(CTX, [two.vnic])
    site.harness.destroy(two.vm)
    poll(lambda: fixed_row(plugin, two.address).vnic_id is None, timeout=20)
    assert not fixed_row(plugin, two.address).leased
    mac = plugin.vnics.get(CTX, two.vnic).mac
    assert mac not in dnsmasq_hosts(site)
    ruleset = ns_run(site.host, "nft", "list", "ruleset").stdout
    assert port_name(two.vnic) not in ruleset
    assert not os.path.exists(f"/run/netns/{two.vm.namespace}")
    again = site.plugin.get_os_service().get_default_vnic_id(CTX)
    agent.bind_vnics_to_ports(CTX, [again])
    assert agent.get_network_info(CTX, again)["ip_address"] == two.address


def test_a_killed_net_service_converges_exactly_on_restart(site):
    one = boot(site, "vm1")
    floating = site.plugin.floating.allocate(CTX, "p1").address
    site.plugin.floating.associate(CTX, floating, one.address, "host-a")
    poll(lambda: pings(site.ext, floating), timeout=15)
    settled, hosts, pids = ruleset(site), dnsmasq_hosts(site), dnsmasq_main_pids(site)
    assert len(pids) == 1 and len(hosts) == 1
    # SIGKILL it at different points of its passes (it resyncs every second).
    for delay in (0.05, 0.15, 0.3, 0.6, 1.1):
        site.netsvc.kill()
        site.netsvc.start()
        time.sleep(delay)
    site.netsvc.kill()
    # What a crash between steps can leave behind: a binding the database no
    # longer has, and the chain and dnsmasq of a network that was deleted.
    ns_run(site.host, "nft", "add", "element", "ip", "netservice", "fip_dnat",
           "{ 192.168.200.40 : 10.20.0.99 }")  # fmt: skip
    ns_run(site.host, "nft", "add", "chain", "ip", "netservice", "net-flat_dhcp-999")
    (site.state / "dnsmasq" / "flat_dhcp-999" / "hosts.d").mkdir(parents=True)
    site.netsvc.start()
    poll(lambda: ruleset(site) == settled, timeout=20)
    assert dnsmasq_main_pids(site) == pids  # the same dnsmasq, reused
    assert dnsmasq_hosts(site) == hosts
    assert not (site.state / "dnsmasq" / "flat_dhcp-999").exists()
    assert reaches(one.vm.namespace, GATEWAY) and reaches(site.ext, floating)
