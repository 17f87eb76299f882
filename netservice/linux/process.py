"""Running programs, inside a named network namespace when asked.

Processes enter a namespace through ``ip netns exec <ns>``, not through a
``setns()`` in a ``preexec_fn``.  ``preexec_fn`` is unsafe in a threaded
process (the API server and the net-service daemons are threaded), and
``os.setns`` only exists from Python 3.12.  ``ip netns exec`` execs the
program in place, so the pid we see is the program's own pid (what dnsmasq's
pid file says), and it also remounts ``/sys`` so the program sees the
namespace's own devices.  iproute2 is a dependency anyway.
"""

from __future__ import annotations

import dataclasses
import logging
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TextIO

from netservice.linux import exceptions

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


# Where a system program is looked for after PATH: sudo, cron and systemd
# hand a process a PATH without the sbin directories dnsmasq and nft live in.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def which_or_none(binary: str) -> str | None:
    """The full path of the system program ``binary`` (PATH, then SYSTEM_PATH), or None."""
    return shutil.which(binary) or shutil.which(binary, path=SYSTEM_PATH)


def which(binary: str) -> str:
    """Return the full path of ``binary``; raises BinaryNotFound naming its package."""
    path = which_or_none(binary)
    if path is None:
        raise exceptions.BinaryNotFound(binary, searched=SYSTEM_PATH)
    return path


def require(*binaries: str) -> None:
    """Check that every program in ``binaries`` is installed; raises BinaryNotFound."""
    for binary in binaries:
        which(binary)


class Runner:
    """Runs programs in one network namespace ("" is the caller's own)."""

    def __init__(self, namespace: str = "") -> None:
        self.namespace = namespace

    def argv(self, argv: Sequence[str]) -> list[str]:
        """The full command line, prefixed with ``ip netns exec`` when needed.

        Raises BinaryNotFound when the program (or ``ip``) is not installed.
        """
        full = [which(argv[0]), *argv[1:]]
        if self.namespace:
            return [which("ip"), "netns", "exec", self.namespace, *full]
        return full

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: str | None = None,
        ok_codes: Sequence[int] = (0,),
        env: Mapping[str, str] | None = None,
        timeout: float = 60,
    ) -> Result:
        """Run ``argv`` to completion.

        Returns its Result; raises CommandFailed when the exit status is not in
        ``ok_codes`` and BinaryNotFound when the program is missing.
        """
        full = self.argv(argv)
        LOG.debug("running %s", shlex.join(full))
        proc = subprocess.run(
            full,
            input=stdin,
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else None,
            timeout=timeout,
            check=False,
        )
        result = Result(proc.returncode, proc.stdout, proc.stderr)
        if proc.returncode not in ok_codes:
            raise exceptions.CommandFailed(
                cmd=shlex.join(argv), status=proc.returncode, stderr=proc.stderr.strip()
            )
        return result

    def spawn(self, argv: Sequence[str]) -> None:
        """Start ``argv`` in the background and reap it when it exits.

        Used for slow fire-and-forget work such as gratuitous ARP, so the
        caller does not wait for arping's one-second intervals.
        """
        full = self.argv(argv)
        LOG.debug("spawning %s", shlex.join(full))
        proc = subprocess.Popen(
            full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        threading.Thread(target=_reap, args=(proc, argv[0]), daemon=True).start()


def _reap(proc: subprocess.Popen[bytes], name: str) -> None:
    _, err = proc.communicate()
    if proc.returncode:
        LOG.warning("%s exited with status %s: %s", name, proc.returncode, err.decode().strip())


class DryRunRunner(Runner):
    """Prints each command line instead of running it; every run succeeds."""

    def __init__(self, namespace: str = "", out: TextIO | None = None) -> None:
        super().__init__(namespace)
        self.out = out if out is not None else sys.stdout

    def argv(self, argv: Sequence[str]) -> list[str]:
        # Dry runs are for hosts without the tools, so do not look them up.
        if self.namespace:
            return ["ip", "netns", "exec", self.namespace, *argv]
        return list(argv)

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: str | None = None,
        ok_codes: Sequence[int] = (0,),
        env: Mapping[str, str] | None = None,
        timeout: float = 60,
    ) -> Result:
        line = shlex.join(self.argv(argv))
        if stdin is not None:
            line += " <<EOF\n" + stdin.rstrip("\n") + "\nEOF"
        print(f"exec: {line}", file=self.out)
        return Result(0, "", "")

    def spawn(self, argv: Sequence[str]) -> None:
        print(f"exec: {shlex.join(self.argv(argv))} &", file=self.out)
