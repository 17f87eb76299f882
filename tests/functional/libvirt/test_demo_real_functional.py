"""``make demo REAL=1``: the demo's story with libvirt guests, run as a user runs it.

The command the make target runs (``python demo/run.py --real``), through
the venv's python with a scrubbed environment.  It must exit 0, show each
guest's console report, find the projects isolated, and leave nothing
behind: no namespace (so no bridge, tap or nft table), no libvirtd, QEMU or
dnsmasq, no files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUESTS = ("a1", "a2", "b1", "b2", "c1")


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        if text in argv:
            found.append(f"{entry.name}: {argv.strip()}")
    return found


def test_make_demo_real_tells_the_story_with_guests(libvirt_host):
    makefile = (ROOT / "Makefile").read_text()
    assert "demo/run.py $(if $(filter-out 0,$(REAL)),--real)" in makefile
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "demo/run.py", "--real"],
        cwd=ROOT,
        env={"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
             "HOME": "/root"},
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    print(f"\nmake demo REAL=1 took {seconds:.0f}s\n{done.stdout}")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout

    # Every guest's console report, as the guest printed it.
    for guest in GUESTS:
        assert f"{guest} console: ready " in out, guest
        assert re.search(rf"{guest} console: nic eth0 mac=\S+ inet=10\.\d+\.0\.\d+/24", out)
    assert re.search(r"a2 console: nic eth1 mac=\S+ inet=10\.71\.0\.\d+/24", out)
    assert "a1 console: config dhcp" in out and "c1 console: config injected" in out
    assert "c1 console: route default via 10.90.0.1 dev eth0" in out
    # The rest of the story, through the guests.
    assert re.search(r"floating IP 192\.168\.250\.\d+ -> 10\.70\.0\.\d+: ping .*: answered", out)
    assert "ping a1 -> a2: answered" in out and "ping a1 -> b1: no answer" in out
    assert "isolated as expected" in out

    # Nothing left behind.
    tag = re.search(r"sandbox: (\S+)-host ", out).group(1)
    workdir = re.search(r"libvirtd in \S+ under (/\S+)/libvirt;", out).group(1)
    namespaces = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert tag not in namespaces
    assert not os.path.exists(workdir)
    # libvirtd, QEMU and dnsmasq all name files under the demo's directory.
    assert _processes_mentioning(workdir) == []
