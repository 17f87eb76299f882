"""The dry-run twin of ``Dnsmasq``: prints file changes, starts and signals.

It keeps the files it would have written in memory, so it makes the same
decisions as the real driver: a second identical ``ensure`` or ``add_host``
prints nothing, and a host removal prints the tombstone it would write.
"""

from __future__ import annotations

import shlex
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

from netservice.linux.dnsmasq import DhcpNetwork, Dnsmasq


class DryRunDnsmasq(Dnsmasq):
    """Same interface and decisions as ``Dnsmasq``; touches no file or process."""

    def __init__(self, *args: Any, out: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.out = out if out is not None else sys.stdout
        self.files: dict[Path, str] = {}
        # Fake pids are negative: no process exists, and none has such a pid.
        self.running: dict[int, tuple[Path, list[str]]] = {}
        self._next_pid = -1

    def _print(self, text: str) -> None:
        print(f"dnsmasq: {text}", file=self.out)

    def _ensure_dirs(self, base: Path) -> None:
        """Directories are implied by the files printed."""

    def _write(self, path: Path, content: str) -> bool:
        if self.files.get(path) == content:
            return False
        self.files[path] = content
        self._print(f"write {path}: {content.rstrip()}")
        return True

    def _exists(self, path: Path) -> bool:
        return path in self.files

    def _read_hosts(self, hosts_dir: Path) -> dict[str, str]:
        return {p.name: c for p, c in self.files.items() if p.parent == hosts_dir}

    def _remove_tree(self, base: Path) -> None:
        if any(base in p.parents for p in self.files):
            self._print(f"remove {base}")
        self.files = {p: c for p, c in self.files.items() if base not in p.parents}

    def _drop_tombstones(self, hosts_dir: Path) -> None:
        for name, content in self._read_hosts(hosts_dir).items():
            if content.strip().endswith(",ignore"):
                del self.files[hosts_dir / name]

    def _start(self, network: DhcpNetwork, argv: list[str], base: Path) -> int:
        self._drop_tombstones(base / "hosts.d")
        env = self.environment(network.network_id)
        shown = {k: v for k, v in env.items() if k.startswith("NETSERVICE_")}
        prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(shown.items()))
        self._print(f"start {prefix} {shlex.join(self.runner.argv(argv))}")
        pid, self._next_pid = self._next_pid, self._next_pid - 1
        self.running[pid] = (base, argv[1:])
        return pid

    def _running_pid(self, base: Path) -> int | None:
        return next((pid for pid, (b, _) in self.running.items() if b == base), None)

    def _cmdline(self, pid: int) -> list[str] | None:
        return self.running[pid][1] if pid in self.running else None

    def _signal(self, pid: int, signum: signal.Signals) -> None:
        self._print(f"kill -{signum.name} <dnsmasq pid>")

    def _kill(self, pid: int) -> None:
        self._signal(pid, signal.SIGTERM)
        self.running.pop(pid, None)
