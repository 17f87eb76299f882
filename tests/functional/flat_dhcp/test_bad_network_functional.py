"""One bad FlatDHCP network does not hold back the others, on the real kernel.

A network whose ``bridge_interface`` does not exist on the network host is
created first, then a good one.  A real ``netservice-network`` (its own
process, on SQLite, resyncing every second) must give the good one its
bridge and dnsmasq, show the bad one as ERROR naming the interface in the
admin API, log that once, and converge it once ``network modify
--bridge_interface`` names an interface that exists.  Every wait polls,
with room for a loaded machine (starting a Python process can take
seconds there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.linux.testing import ns_run, poll
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

BIN = os.path.dirname(sys.executable)
NETS = "/v1.0/flat_dhcp/networks"


def script(name: str) -> str:
    """A console script of this installation, found beside the running Python."""
    path = os.path.join(BIN, name)
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not installed (make .venv/.installed)")
    return path


def run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


@pytest.fixture
def site(need, netns, links_in, state_dir):
    need("dnsmasq", "nft")
    host, ext = netns("host"), netns("ext")
    links = links_in(host)
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", "192.168.210.2/24")
    config = write_config(
        str(state_dir / "cfg"),
        ["flat_dhcp"],
        default="flat_dhcp",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "linux": {
                "namespace": host,
                "public_interface": "pub0",
                "routing_source_ip": "192.168.210.2",
                "dnsmasq_log_to_file": True,
            },
        },
    )
    manage = [script("netservice-flat-dhcp-manage"), "--config-file", config]
    run(*manage, "network", "create", "--label", "bad", "--fixed_range_v4", "10.30.0.0/24",
        "--bridge", "br130", "--bridge_interface", "eth1")  # fmt: skip
    run(*manage, "network", "create", "--label", "good", "--fixed_range_v4", "10.31.0.0/24",
        "--bridge", "br131")  # fmt: skip
    log = state_dir / "netservice-network.log"
    with open(log, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(
            [script("netservice-network"), "--config-file", config, "--debug"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    manager = bootstrap.open_services(make_conf(config))
    admin = ApiClient(build_app(make_conf(config), manager), "ops", ("admin",))
    try:
        yield _Site(host, ext, links, manage, admin, log, Path(state_dir / "cfg" / "state"))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        manager.database.dispose()


class _Site:
    def __init__(self, host, ext, links, manage, admin, log, state):
        self.host, self.ext, self.links, self.manage = host, ext, links, manage
        self.admin, self.log, self.state = admin, log, state

    def network(self, label):
        (found,) = [n for n in self.admin.get(f"{NETS}/detail").json()["networks"]
                    if n["label"] == label]  # fmt: skip
        return found

    def log_lines(self, text):
        return [line for line in self.log.read_text().splitlines() if text in line]


def link_exists(ns: str, ifname: str) -> bool:
    """Asked of iproute2, not of our own code."""
    return ns_run(ns, "ip", "link", "show", "dev", ifname, check=False).returncode == 0


def master_of(ns: str, ifname: str) -> str | None:
    done = ns_run(ns, "readlink", f"/sys/class/net/{ifname}/master", check=False)
    return os.path.basename(done.stdout.strip()) if done.returncode == 0 else None


def dnsmasq_alive(site, network_id: int) -> bool:
    pid_file = site.state / "dnsmasq" / f"flat_dhcp-{network_id}" / "pid"
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    return cmdline.exists() and b"dnsmasq" in cmdline.read_bytes()


def site_ids(site):
    """uuid -> the numeric id the data plane files the network under (dnsmasq's directory)."""
    out = run(*site.manage, "network", "list")
    return {cols[-1]: int(cols[0]) for cols in (line.split() for line in out.splitlines()[1:])}


def test_a_bad_network_fails_alone_and_is_repaired_in_place(site):
    ids = site_ids(site)
    bad, good = site.network("bad"), site.network("good")
    bad_id, good_id = ids[bad["id"]], ids[good["id"]]

    # The good network, created after the bad one, gets its bridge and dnsmasq.
    poll(lambda: link_exists(site.host, "br131") and dnsmasq_alive(site, good_id), timeout=120)
    assert poll(lambda: site.network("good")["status"] == "ACTIVE", timeout=60)

    # The bad one is ERROR, naming the missing interface, for admins only.
    shown = poll(lambda: (n := site.network("bad"))["status"] == "ERROR" and n, timeout=60)
    assert "host-a: network interface eth1 not found" in shown["error"]
    p1 = site.admin.as_project("p1").get(f"{NETS}/{bad['id']}").json()["network"]
    assert "status" not in p1 and "error" not in p1
    assert not dnsmasq_alive(site, bad_id)

    # Logged once, though the pass has retried it since (each retry logs at debug).
    poll(lambda: len(site.log_lines(f"{bad['id']} (bad) still fails")) >= 3, timeout=20)
    failed = site.log_lines(f"{bad['id']} (bad) failed:")
    assert len(failed) == 1 and "network interface eth1 not found" in failed[0]
    assert site.log_lines("Traceback") == []

    # The operator repairs it in place: an interface that exists on the host.
    site.links.ensure_veth("uplink0", "uplink1", peer_namespace=site.ext)
    run(*site.manage, "network", "modify", "10.30.0.0/24", "--bridge_interface", "uplink0")
    poll(lambda: master_of(site.host, "uplink0") == "br130", timeout=60)
    poll(lambda: dnsmasq_alive(site, bad_id), timeout=60)
    repaired = poll(lambda: (n := site.network("bad"))["status"] == "ACTIVE" and n, timeout=60)
    assert repaired["error"] is None and repaired["bridge_interface"] == "uplink0"
    assert poll(lambda: site.log_lines(f"{bad['id']} (bad) converged again"), timeout=60)
    # The good network was never disturbed.
    assert dnsmasq_alive(site, good_id) and master_of(site.host, "uplink0") == "br130"
