"""A private ``libvirtd`` inside a network namespace, for tests and the demo.

A compute host runs the system's libvirtd.  Here one is started inside the
namespace that holds the bridges, so the taps it makes land next to them.
``ip netns exec`` gives the daemon its own mount namespace; in it, libvirt's
fixed directories (``/etc/libvirt``, ``/run/libvirt``, ``/var/lib/libvirt``,
``/var/cache/libvirt``, ``/var/log/libvirt``) are bind-mounted from a
private root, so it never meets a system libvirtd or another test's.  Its
``qemu.conf`` turns off what a container cannot give (no security driver,
no cgroups, no per-domain /dev namespace) and has QEMU write its own log
(``stdio_handler = "file"``), so no virtlogd is needed.  Clients reach it
through ``uri``.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

from netservice.core import exceptions as core_exceptions
from netservice.linux import exceptions, process

LOG = logging.getLogger(__name__)

# Debian's libvirt resolves these at start-up even when qemu.conf runs
# QEMU as root; libvirt-daemon-system creates them on a compute host.
SYSTEM_USER = "libvirt-qemu"

_DIRS = {
    "etc": "/etc/libvirt",
    "run": "/run/libvirt",
    "lib": "/var/lib/libvirt",
    "cache": "/var/cache/libvirt",
    "log": "/var/log/libvirt",
}

QEMU_CONF = """\
security_driver = "none"
cgroup_controllers = [ ]
user = "root"
group = "root"
stdio_handler = "file"
namespaces = [ ]
"""


def libvirtd_conf(log_dir: Path) -> str:
    return (
        'auth_unix_rw = "none"\n'
        'auth_unix_ro = "none"\n'
        f'log_outputs = "3:file:{log_dir}/libvirtd.log"\n'
    )


class Libvirtd:
    """One private daemon: ``start()``, use ``uri``, ``stop()``."""

    def __init__(self, root: Path, namespace: str, cache: Path | None = None) -> None:
        """``cache``: ``/var/cache/libvirt`` to use, shared by daemons so that
        QEMU's capabilities are probed once (slow under TCG); default private."""
        self.root = Path(root)
        self.namespace = namespace
        self.cache = Path(cache) if cache is not None else self.root / "cache"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"qemu:///system?socket={self.root / 'run' / 'libvirt-sock'}"

    def _script(self) -> str:
        sources = {name: self.cache if name == "cache" else self.root / name for name in _DIRS}
        mounts = [
            f"mkdir -p {shlex.quote(target)} && mount --bind {shlex.quote(str(sources[name]))} "
            f"{shlex.quote(target)}"
            for name, target in _DIRS.items()
        ]
        daemon = shlex.join(
            [process.which("libvirtd"), "--pid-file", str(self.root / "run" / "libvirtd.pid")]
        )
        return " && ".join([*mounts, f"exec {daemon}"])

    def start(self, timeout: float = 120) -> None:
        """Write the configuration, start the daemon and wait for its socket.

        Raises BinaryNotFound (libvirtd, virsh), ConfigurationError when the
        ``libvirt-qemu`` user is missing, CommandFailed when it does not come up.
        """
        process.require("libvirtd", "virsh", "qemu-system-x86_64")
        _require_user(SYSTEM_USER)
        for name in _DIRS:
            (self.root / name).mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)
        (self.root / "etc" / "libvirtd.conf").write_text(libvirtd_conf(self.root / "log"))
        (self.root / "etc" / "qemu.conf").write_text(QEMU_CONF)
        argv = process.Runner(self.namespace).argv(["sh", "-c", self._script()])
        LOG.info("starting libvirtd in %s under %s", self.namespace, self.root)
        with open(self.root / "log" / "stderr", "wb") as err:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                done = subprocess.run(
                    [process.which("virsh"), "-c", self.uri, "version"],
                    capture_output=True,
                    check=False,
                    timeout=max(1.0, deadline - time.monotonic()),
                )
            except subprocess.TimeoutExpired:
                break  # probing QEMU's capabilities took all the time there was
            if done.returncode == 0:
                return
            time.sleep(0.2)
        self.stop()
        raise exceptions.CommandFailed(
            cmd="libvirtd", status=self.proc.returncode, stderr=self.errors()
        )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def errors(self) -> str:
        """The daemon's last logged errors, for failure messages."""
        log = self.root / "log" / "libvirtd.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        return " | ".join(line for line in lines if ": error :" in line)[-2000:]

    def stop(self, timeout: float = 15) -> None:
        """Stop the daemon, then any QEMU it left.  Idempotent."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        # libvirtd leaves running domains behind by design; these are ours.
        for pidfile in (self.root / "run" / "qemu").glob("*.pid"):
            _kill(pidfile)


def _kill(pidfile: Path) -> None:
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        return
    LOG.info("killed QEMU %d left by libvirtd", pid)


def _require_user(name: str) -> None:
    import grp  # noqa: PLC0415 - POSIX only
    import pwd  # noqa: PLC0415

    try:
        pwd.getpwnam(name)
        grp.getgrnam(name)
    except KeyError as exc:
        raise core_exceptions.ConfigurationError(
            reason=f"user and group {name} missing: install libvirt-daemon-system, or "
            f"groupadd --system {name} && useradd --system -g {name} {name}"
        ) from exc
