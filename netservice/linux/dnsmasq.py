"""DHCP: one dnsmasq per network, with static host entries.

Host entries live one per file in ``--dhcp-hostsdir`` (named after the MAC),
and no change signals or restarts dnsmasq:

- dnsmasq watches that directory with inotify and reads a new or replaced
  file on its own, so adding a host costs one small file whatever the number
  of hosts.  A SIGHUP, by contrast, makes dnsmasq re-read *every* host, and
  its duplicate check is quadratic: about 7 s at 65,536 hosts, during which
  it answers nobody (nova's 2014 figure was 3 min 43 s for a restart).
- dnsmasq never forgets a record read from the directory, but a re-read file
  replaces what that file said.  Removing a host therefore replaces its file
  with ``<mac>,ignore`` (a tombstone): the MAC gets no offer from then on.
  Tombstones are dropped when dnsmasq (re)starts.
- A burst of more changes than inotify can queue (16,384 events by default)
  would be lost silently, so ``sync_hosts`` falls back to one SIGHUP when it
  writes more than ``BULK_THRESHOLD`` files at once.

Only the options file (router, DNS), which changes with the network itself,
is reloaded with SIGHUP.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from netservice.linux import exceptions, netns, process, validate

LOG = logging.getLogger(__name__)

BULK_THRESHOLD = 1024
_SOCKET_GRACE = 5.0  # seconds a restart waits for a dead dnsmasq's sockets
_TOMBSTONE = "ignore"
_HOSTNAME_MAX = 63  # a DNS label


@dataclasses.dataclass(frozen=True)
class DhcpHost:
    """One static entry: this MAC gets this IP and hostname."""

    mac: str
    hostname: str
    ip: str

    def line(self, domain: str) -> str:
        """``<mac>,<hostname>.<domain>,<ip>``, hostname cut to 63 characters."""
        name = self.hostname[:_HOSTNAME_MAX]
        return (
            f"{self.mac},{name}.{domain},{self.ip}" if domain else f"{self.mac},{name},{self.ip}"
        )


@dataclasses.dataclass(frozen=True)
class DhcpNetwork:
    """What dnsmasq needs to serve one network."""

    network_id: str
    interface: str
    """The bridge dnsmasq answers on."""
    cidr: str
    dhcp_server: str
    """The address dnsmasq listens on and answers from (on ``interface``)."""
    dhcp_start: str
    gateway: str | None = None
    dns: tuple[str, ...] = ()
    """DNS servers handed to instances (option 6); empty: dnsmasq itself."""
    label: str | None = None


def hosts_for(hosts: Iterable[DhcpHost]) -> dict[str, DhcpHost]:
    """Validated hosts keyed by normalised MAC (the file name)."""
    result = {}
    for host in hosts:
        mac = validate.mac(host.mac)
        result[mac] = DhcpHost(mac, host.hostname, validate.ipv4(host.ip, "ip"))
    return result


class Dnsmasq:
    """Runs and feeds the dnsmasq of each network, under ``state_dir/<network_id>``.

    Every method is idempotent and thread-safe.  ``dhcp_script`` (the path of
    ``netservice-dhcpbridge``) is run by dnsmasq with ``NETSERVICE_SERVICE``,
    ``NETSERVICE_NETWORK_ID`` and ``NETSERVICE_CONFIG_FILES`` in its
    environment.
    """

    def __init__(
        self,
        state_dir: str | Path,
        runner: process.Runner,
        *,
        dhcp_script: str | None = None,
        service: str = "",
        config_files: Sequence[str] = (),
        lease_time: int = 86400,
        domain: str = "novalocal",
        dns_servers: Sequence[str] = (),
        config_file: str = "",
        force_release: bool = True,
        log_to_file: bool = False,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.runner = runner
        self.dhcp_script = dhcp_script
        self.service = service
        self.config_files = tuple(config_files)
        self.lease_time = lease_time
        self.domain = domain
        self.dns_servers = tuple(validate.ip(s, "dns_server") for s in dns_servers)
        self.config_file = config_file
        self.force_release = force_release
        self.log_to_file = log_to_file
        self._lock = threading.RLock()

    # --- paths and pure pieces -------------------------------------------------

    def network_dir(self, network_id: str) -> Path:
        return self.state_dir / validate.token(network_id, "network_id")

    def command(self, network: DhcpNetwork) -> list[str]:
        """dnsmasq's command line for ``network`` (REFERENCE.md, "Data plane")."""
        net = validate.cidr(network.cidr)
        base = self.network_dir(network.network_id)
        label = validate.token(network.label or network.network_id, "label")
        argv = [
            "dnsmasq",
            "--strict-order",
            "--bind-interfaces",
            f"--conf-file={self.config_file}",
            f"--pid-file={base / 'pid'}",
            f"--listen-address={validate.ipv4(network.dhcp_server, 'dhcp_server')}",
            "--except-interface=lo",
            f"--dhcp-range=set:{label},{validate.ipv4(network.dhcp_start, 'dhcp_start')},"
            f"static,{net.netmask},{self.lease_time}s",
            f"--dhcp-lease-max={net.size}",
            f"--dhcp-hostsdir={base / 'hosts.d'}",
            f"--dhcp-optsfile={base / 'opts'}",
        ]
        if self.dhcp_script:
            argv.append(f"--dhcp-script={self.dhcp_script}")
        argv += ["--no-hosts", "--leasefile-ro"]
        if self.domain:
            argv.append(f"--domain={self.domain}")
        if self.dns_servers:
            argv.append("--no-resolv")
            argv += [f"--server={server}" for server in self.dns_servers]
        if self.log_to_file:
            argv.append(f"--log-facility={base / 'dnsmasq.log'}")
        return argv

    def environment(self, network_id: str) -> dict[str, str]:
        """What dnsmasq (and so ``netservice-dhcpbridge``) finds in its environment."""
        env = dict(os.environ)
        env.update(
            NETSERVICE_SERVICE=self.service,
            NETSERVICE_NETWORK_ID=network_id,
            NETSERVICE_CONFIG_FILES=os.pathsep.join(self.config_files),
        )
        if self.runner.namespace:
            # dnsmasq, and so its script, runs inside the namespace, where
            # the database on the host's loopback cannot be reached; the
            # script joins the daemon's namespace first (see netns.py).
            env[netns.HOST_NETNS_ENV] = netns.HOST_NETNS
        else:
            env.pop(netns.HOST_NETNS_ENV, None)
        return env

    @staticmethod
    def options(network: DhcpNetwork) -> str:
        """The options file: router (3) and, when given, DNS servers (6)."""
        lines = []
        if network.gateway:
            lines.append(f"3,{validate.ipv4(network.gateway, 'gateway')}")
        if network.dns:
            lines.append("6," + ",".join(validate.ipv4(d, "dns") for d in network.dns))
        return "".join(f"{line}\n" for line in lines)

    # --- life cycle ---------------------------------------------------------

    def ensure(self, network: DhcpNetwork, hosts: Iterable[DhcpHost] | None = None) -> int:
        """Start dnsmasq for ``network``, or keep the one already running.

        Called by the net-service for each network it serves, on every
        reconcile.  A running dnsmasq with the same command line is reused
        (found by pid file and /proc cmdline); one with another command line,
        or a dead one, is (re)started.  With ``hosts``, the host entries are
        synced first.  Raises InvalidInput, BinaryNotFound or DhcpError.
        Returns the pid.
        """
        argv = self.command(network)
        base = self.network_dir(network.network_id)
        with self._lock:
            self._ensure_dirs(base)
            opts_changed = self._write(base / "opts", self.options(network))
            pid = self._running_pid(base)
            if pid is not None and self._cmdline(pid) != argv[1:]:
                LOG.info("dnsmasq %s for %s has an old command line", pid, network.network_id)
                self._kill(pid)
                pid = None
            if hosts is not None:
                self.sync_hosts(network.network_id, hosts, reload=pid is not None)
            if pid is not None:
                if opts_changed:
                    self._signal(pid, signal.SIGHUP)
                return pid
            return self._start(network, argv, base)

    def stop(self, network_id: str) -> None:
        """Stop the network's dnsmasq and remove its files.  Absent is fine."""
        with self._lock:
            self.halt(network_id)
            self._remove_tree(self.network_dir(network_id))

    def halt(self, network_id: str) -> None:
        """Stop the network's dnsmasq but keep its files (leases, hosts).  Absent is fine.

        For a daemon that is shutting down: the next ``ensure`` starts dnsmasq
        again from the same files.
        """
        with self._lock:
            pid = self._running_pid(self.network_dir(network_id))
            if pid is not None:
                self._kill(pid)
                LOG.info("stopped dnsmasq %s for network %s", pid, network_id)

    def network_ids(self) -> list[str]:
        """The networks that have a directory here: served now, or left by a crash."""
        if not self.state_dir.is_dir():
            return []
        return sorted(p.name for p in self.state_dir.iterdir() if p.is_dir())

    def pid(self, network_id: str) -> int | None:
        """The pid of the network's running dnsmasq, or None."""
        return self._running_pid(self.network_dir(network_id))

    # --- hosts ----------------------------------------------------------------

    def add_host(self, network_id: str, host: DhcpHost) -> None:
        """Serve ``host`` from now on, without signalling dnsmasq.  Idempotent."""
        (mac, host), *_ = hosts_for([host]).items()
        base = self.network_dir(network_id)
        with self._lock:
            self._write(base / "hosts.d" / mac, host.line(self.domain) + "\n")

    def remove_host(self, network_id: str, mac: str) -> None:
        """Stop offering anything to ``mac``; dnsmasq keeps running.  Idempotent.

        The current lease, if any, lasts until ``release`` or its expiry.
        """
        mac = validate.mac(mac)
        path = self.network_dir(network_id) / "hosts.d" / mac
        with self._lock:
            if self._exists(path):
                self._write(path, f"{mac},{_TOMBSTONE}\n")

    def sync_hosts(self, network_id: str, hosts: Iterable[DhcpHost], reload: bool = True) -> None:
        """Make the host entries exactly ``hosts``: add, replace, tombstone.

        More than BULK_THRESHOLD changes end with one SIGHUP (when ``reload``
        and dnsmasq runs), since inotify would drop events.
        """
        want = {mac: host.line(self.domain) + "\n" for mac, host in hosts_for(hosts).items()}
        base = self.network_dir(network_id)
        hosts_dir = base / "hosts.d"
        with self._lock:
            self._ensure_dirs(base)
            have = self._read_hosts(hosts_dir)
            changed = 0
            for mac, line in want.items():
                if have.get(mac) != line:
                    self._write(hosts_dir / mac, line)
                    changed += 1
            for mac, line in have.items():
                if mac not in want and line != f"{mac},{_TOMBSTONE}\n":
                    self._write(hosts_dir / mac, f"{mac},{_TOMBSTONE}\n")
                    changed += 1
            pid = self._running_pid(base) if reload and changed > BULK_THRESHOLD else None
            if pid is not None:
                self._signal(pid, signal.SIGHUP)

    def release(self, network: DhcpNetwork, ip: str, mac: str) -> None:
        """Tell dnsmasq the lease of ``ip`` by ``mac`` is over (``dhcp_release``).

        Called on deallocate when ``force_dhcp_release`` is set.  Skipped with
        a warning when dnsmasq-utils is not installed.  Raises CommandFailed.
        """
        if not self.force_release:
            return
        argv = ["dhcp_release", validate.ifname(network.interface), validate.ipv4(ip, "ip")]
        argv.append(validate.mac(mac))
        try:
            self.runner.run(argv)
        except exceptions.BinaryNotFound as exc:
            LOG.warning("not releasing %s: %s", ip, exc)

    # --- effects (overridden by the dry-run twin) ---------------------------

    def _ensure_dirs(self, base: Path) -> None:
        for path in (base, base / "hosts.d", base / "hosts.tmp"):
            # dnsmasq reads the host files after dropping to "nobody".
            path.mkdir(mode=0o755, parents=True, exist_ok=True)

    def _write(self, path: Path, content: str) -> bool:
        """Atomically replace ``path`` with ``content``; False when unchanged."""
        try:
            if path.read_text() == content:
                return False
        except FileNotFoundError:
            pass
        # Written outside the watched directory and renamed in, so dnsmasq
        # sees one complete file and inotify queues one event.
        base = path.parent.parent if path.parent.name == "hosts.d" else path.parent
        tmp = base / "hosts.tmp" / path.name
        tmp.write_text(content)
        tmp.chmod(0o644)
        tmp.replace(path)
        return True

    def _exists(self, path: Path) -> bool:
        return path.exists()

    def _read_hosts(self, hosts_dir: Path) -> dict[str, str]:
        if not hosts_dir.is_dir():
            return {}
        return {entry.name: entry.read_text() for entry in hosts_dir.iterdir()}

    def _remove_tree(self, base: Path) -> None:
        if not base.exists():
            return
        for sub in ("hosts.d", "hosts.tmp"):
            if (base / sub).is_dir():
                for entry in (base / sub).iterdir():
                    entry.unlink()
                (base / sub).rmdir()
        for entry in base.iterdir():
            entry.unlink()
        base.rmdir()

    def _drop_tombstones(self, hosts_dir: Path) -> None:
        for mac, line in self._read_hosts(hosts_dir).items():
            if line.strip().endswith(f",{_TOMBSTONE}"):
                (hosts_dir / mac).unlink()

    def _start(self, network: DhcpNetwork, argv: list[str], base: Path) -> int:
        if self.runner.namespace:
            netns.name_this_namespace()
        self._drop_tombstones(base / "hosts.d")
        (base / "pid").unlink(missing_ok=True)
        deadline = time.monotonic() + _SOCKET_GRACE
        while True:
            try:
                # dnsmasq forks; its parent exits only once the child is up
                # (or failed), so this returns with the pid file written.
                self.runner.run(argv, env=self.environment(network.network_id), timeout=300)
                break
            except exceptions.CommandFailed as exc:
                stderr = exc.kwargs.get("stderr") or str(exc)
                # A dnsmasq that was killed leaves its script helper behind
                # for a moment, still holding the sockets.
                if "Address already in use" not in stderr or time.monotonic() > deadline:
                    raise exceptions.DhcpError(
                        network_id=network.network_id, reason=stderr
                    ) from exc
                time.sleep(0.05)
        pid = self._running_pid(base)
        if pid is None:
            raise exceptions.DhcpError(
                network_id=network.network_id, reason="dnsmasq exited right after starting"
            )
        LOG.info("started dnsmasq %s for network %s", pid, network.network_id)
        return pid

    def _running_pid(self, base: Path) -> int | None:
        """The pid in ``base/pid`` if that process is a dnsmasq using this pid file."""
        try:
            pid = int((base / "pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        cmdline = self._cmdline(pid)
        if cmdline is None or f"--pid-file={base / 'pid'}" not in cmdline:
            return None
        return pid

    def _cmdline(self, pid: int) -> list[str] | None:
        """The arguments of ``pid`` after the program name; None if not dnsmasq."""
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            return None
        args = raw.decode(errors="replace").split("\0")[:-1]
        if not args or os.path.basename(args[0]) != "dnsmasq":
            return None  # a zombie (empty cmdline) or a recycled pid
        return args[1:]

    def _signal(self, pid: int, signum: signal.Signals) -> None:
        LOG.debug("sending %s to dnsmasq %s", signum.name, pid)
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    def _kill(self, pid: int) -> None:
        self._signal(pid, signal.SIGTERM)
        for _ in range(100):
            if self._cmdline(pid) is None:
                return
            time.sleep(0.02)
        self._signal(pid, signal.SIGKILL)
