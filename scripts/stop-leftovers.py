#!/usr/bin/env python3
"""Stop what ``make run`` left running in this checkout, before ``make clean``.

Usage: stop-leftovers.py <checkout> <state dir>

Stops (SIGTERM) the netservice programs started from the checkout (the
net-services they run stop their dnsmasq processes), then any dnsmasq still
using a pid file under the state directory.  Exits 1, naming them, when
something is still running after that; 0 otherwise.  Standard library only:
it runs after the virtualenv is gone, too.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def _processes() -> list[tuple[int, list[str], str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
            cwd = os.readlink(entry / "cwd")
        except OSError:  # gone, or another user's
            continue
        if argv:
            found.append((int(entry.name), argv, cwd))
    return found


def _ours(checkout: str, state: str) -> tuple[dict[int, str], dict[int, str]]:
    programs, dnsmasqs = {}, {}
    for pid, argv, cwd in _processes():
        if os.path.basename(argv[0]) == "dnsmasq":
            if any(a.startswith(f"--pid-file={state}/") for a in argv):
                dnsmasqs[pid] = " ".join(argv[:1] + [a for a in argv if "pid-file" in a])
        elif cwd == checkout and any(os.path.basename(a).startswith("netservice-") for a in argv):
            programs[pid] = " ".join(argv)
    return programs, dnsmasqs


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs: a zombie has stopped, only its parent has not reaped it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _stop(pids: dict[int, str], wait: float) -> None:
    for pid, what in pids.items():
        print(f"stopping {pid}: {what}")
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        except PermissionError:
            print(f"  no permission to stop {pid} (started by another user?)")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    checkout, state = (os.path.realpath(a) for a in argv)
    programs, _ = _ours(checkout, state)
    _stop(programs, wait=40)  # netservice-api lets requests finish (up to 30 s)
    _, dnsmasqs = _ours(checkout, state)
    _stop(dnsmasqs, wait=5)
    programs, dnsmasqs = _ours(checkout, state)
    left = {**programs, **dnsmasqs}
    if left:
        print("still running, so the state directory is kept:", file=sys.stderr)
        for pid, what in left.items():
            print(f"  {pid}: {what}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
