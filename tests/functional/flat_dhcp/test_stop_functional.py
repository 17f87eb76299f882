"""What a process starts, it stops: SIGTERM to netservice-api (embedded net-services)
or netservice-network stops the dnsmasq processes it started, exits 0, and
leaves the kernel state the README documents (the bridge and its address)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from netservice.core.programs import script
from netservice.linux.testing import ns_run, poll
from netservice.testing.config import write_config


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running dnsmasq (a zombie has an empty command line)."""
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return os.path.basename(argv0) == b"dnsmasq"


def _dnsmasq_pid(state: Path) -> int | None:
    try:
        pid = int((state / "dnsmasq" / "flat_dhcp-1" / "pid").read_text())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


@pytest.fixture
def site(need, netns, state_dir):
    need("dnsmasq", "nft", "netservice-api", "netservice-network", "netservice-flat-dhcp-manage")
    host = netns("host")
    config = write_config(
        str(state_dir / "cfg"),
        ["flat_dhcp"],
        default="flat_dhcp",
        extra={
            "DEFAULT": {"host": "host-a", "resync_interval": 1},
            "api": {"embedded_net_services": True},
            "linux": {"namespace": host, "public_interface": ""},
        },
    )
    done = subprocess.run(
        [script("netservice-flat-dhcp-manage"), "--config-file", config, "network", "create",
         "--label", "stop", "--fixed_range_v4", "10.31.0.0/24", "--bridge", "br131"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return host, config, state_dir / "cfg" / "state"


@pytest.mark.parametrize("program", ["netservice-api", "netservice-network"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_dnsmasq_it_started_and_keeps_the_bridge(site, program, signum):
    host, config, state = site
    if program == "netservice-network":
        subprocess.run(
            [script("netservice-manage"), "--config-file", config, "db", "sync"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    proc = subprocess.Popen(
        [script(program), "--config-file", config],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        pid = poll(lambda: _dnsmasq_pid(state), timeout=60, interval=0.2)
        proc.send_signal(signum)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert f"{program} stopped" in out and "Traceback" not in out
    # Within the stop: dnsmasq has exited (or is a zombie about to be reaped by init).
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), f"dnsmasq {pid} outlived {program}"
    # What stays: the bridge with its address, and dnsmasq's files.
    assert re.search(r"inet 10\.31\.0\.1/24", ns_run(host, "ip", "addr", "show", "br131").stdout)
    assert (state / "dnsmasq" / "flat_dhcp-1" / "hosts.d").is_dir()
