"""Helpers for functional tests that use the real kernel: ours and plugins'.

Framework-agnostic (no pytest import): fresh namespaces that clean up after
themselves and the processes inside them, polling instead of sleeping, and
independent checks through iproute2 and ping.  ``tests/functional/linux/
conftest.py`` turns them into pytest fixtures; a plugin's functional tests
can do the same.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pyroute2 import netns as pr_netns

T = TypeVar("T")


class PollTimeout(AssertionError):
    """What was polled for did not happen in time."""


def poll(check: Callable[[], T], timeout: float = 5.0, interval: float = 0.02) -> T:
    """Call ``check`` until it returns something truthy, and return that.

    Raises PollTimeout after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise PollTimeout(f"timed out after {timeout}s waiting for {check}")
        time.sleep(interval)


def ns_run(
    ns: str, *argv: str, check: bool = True, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    """Run a command inside ``ns`` with iproute2 (a tool independent of ours)."""
    return subprocess.run(
        ["ip", "netns", "exec", ns, *argv],
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


def ip_json(ns: str, *args: str) -> list[dict[str, Any]]:
    """``ip -j <args>`` inside ``ns``, decoded."""
    out = ns_run(ns, "ip", "-j", *args).stdout
    return json.loads(out) if out.strip() else []


def pings(ns: str, target: str, source: str | None = None) -> bool:
    """One ICMP echo from ``ns``; True when answered within a second."""
    argv = ["ping", "-n", "-c", "1", "-W", "1"]
    if source:
        argv += ["-I", source]
    return ns_run(ns, *argv, target, check=False).returncode == 0


def reaches(ns: str, target: str, source: str | None = None, timeout: float = 10.0) -> bool:
    """Whether ``ns`` gets an ICMP echo answered from ``target`` within ``timeout`` seconds.

    For what must work: the first echo may wait on ARP, or on a reconciler
    that has not caught up yet.  A refusal is checked with one ``pings``.
    """
    try:
        return poll(lambda: pings(ns, target, source), timeout=timeout, interval=0.2)
    except PollTimeout:
        return False


def kill_inside(name: str) -> None:
    """SIGKILL every process whose network namespace is ``name``."""
    try:
        inode = os.stat(f"/run/netns/{name}").st_ino
    except FileNotFoundError:
        return
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(entry / "ns" / "net").st_ino == inode:
                os.kill(int(entry.name), signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue


class Namespaces:
    """Creates uniquely named namespaces; ``close`` removes them and their processes."""

    def __init__(self, prefix: str = "nst") -> None:
        self.tag = f"{prefix}-{uuid.uuid4().hex[:6]}"
        self.made: list[str] = []

    def __call__(self, role: str) -> str:
        name = f"{self.tag}-{role}"
        pr_netns.create(name)
        self.made.append(name)
        ns_run(name, "ip", "link", "set", "lo", "up")
        return name

    def close(self) -> None:
        existing = set(pr_netns.listnetns())
        for name in reversed(self.made):
            kill_inside(name)
            if name in existing:
                pr_netns.remove(name)
        self.made.clear()

    def __enter__(self) -> Namespaces:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def start_in(ns: str, code: str, timeout: float = 10) -> subprocess.Popen[str]:
    """Run Python ``code`` in ``ns``; return once it printed its first line ("ready")."""
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-u", "-c", code],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise AssertionError(f"server in {ns} did not start: {line!r}")
    return proc


def interface_xml(mac: str, bridge: str, target: str | None = None) -> str:
    """The libvirt ``<interface>`` the net agent produces for one VNIC."""
    dev = f"<target dev='{target}'/>" if target else ""
    return (
        f"<interface type='bridge'><mac address='{mac}'/><source bridge='{bridge}'/>"
        f"<model type='virtio'/>{dev}<filterref filter='nova-base'/></interface>"
    )
