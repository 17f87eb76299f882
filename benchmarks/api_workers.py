"""Benchmark the API's worker processes: requests per second with 1 and 2 workers.

    python benchmarks/api_workers.py
    python benchmarks/api_workers.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        --clients 8 --seconds 5

Starts ``netservice-api`` (net-services off) on a fresh database of the
server ``--db`` names, once with ``[api] workers = 1`` (waitress) and once
with 2 (gunicorn), in this one run.  ``--clients`` client processes, each on
a keep-alive connection, send ``GET /v1.0/flat/networks`` (one database
read per request) for ``--seconds``.  Server CPU per request is the user +
system time of the server's processes (master and workers, from /proc)
over the requests answered.  Prints the machine and the configuration.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from netservice.core import programs
from netservice.testing import databases
from netservice.testing.config import write_config

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PATH = "/v1.0/flat/networks"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and its children (alive ones, from /proc)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry), int(fields[1])
        if root in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _client(port: int, until: float, counts: multiprocessing.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = errors = 0
    while time.monotonic() < until:
        try:
            conn.request("GET", PATH, headers={"X-Project-Id": "p1"})
            reply = conn.getresponse()
            reply.read()
            if reply.status == 200:
                done += 1
            else:
                errors += 1
        except OSError:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()
    counts.put((done, errors))


def _run(config: str, workers: int, clients: int, seconds: float) -> tuple[float, float, int]:
    port = _free_port()
    with open(config, "a", encoding="utf-8") as handle:
        handle.write(f"\n[api]\nworkers = {workers}\nbind_port = {port}\n")
    server = subprocess.Popen(
        [programs.script("netservice-api"), "--config-file", config],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            line = server.stderr.readline() if server.stderr else ""
            if not line or time.monotonic() > deadline:
                sys.exit(f"netservice-api did not start ({workers} workers)")
            if "listening on" in line:
                break
        # Let the workers boot, then drain stderr in the background.
        subprocess.Popen(["cat"], stdin=server.stderr, stdout=subprocess.DEVNULL)
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", PATH, headers={"X-Project-Id": "p1"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        cpu_before = _cpu_seconds(server.pid)
        counts: multiprocessing.Queue = multiprocessing.Queue()
        until = time.monotonic() + seconds
        started = time.monotonic()
        procs = [
            multiprocessing.Process(target=_client, args=(port, until, counts))
            for _ in range(clients)
        ]
        for proc in procs:
            proc.start()
        results = [counts.get(timeout=seconds + 60) for _ in procs]
        elapsed = time.monotonic() - started
        for proc in procs:
            proc.join(timeout=30)
        cpu = _cpu_seconds(server.pid) - cpu_before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    return done / elapsed, (cpu / done * 1000 if done else float("nan")), errors


def _machine() -> str:
    model = "unknown CPU"
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = found.group(1) if found else model
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.node()}: {cpus} CPUs ({model}), Linux {platform.release()}, load {load}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=databases.server_url("postgresql"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    reason = databases.unreachable_reason(args.db)
    if reason:
        print(f"skipped: {reason}")
        return 0
    url, name = databases.fresh_schema(args.db)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = write_config(
                tmp, ["flat", "flat_dhcp", "vlan"], default="flat", connection=url
            )
            sync = subprocess.run(
                [programs.script("netservice-manage"), "--config-file", base, "db", "sync"],
                capture_output=True,
                text=True,
                check=False,
            )
            if sync.returncode:
                sys.exit(sync.stderr)
            template = Path(base).read_text()
            for workers in (1, 2):
                Path(base).write_text(template)
                rows.append((workers, *_run(base, workers, args.clients, args.seconds)))
    finally:
        databases.drop_schema(args.db, name)
    print(f"machine: {_machine()}")
    print(
        f"config: netservice-api, [api] threads = 8, net-services off, {args.clients} client "
        f"processes on keep-alive connections, GET {PATH}, {args.seconds:g} s each, "
        f"database {url.rsplit('@', maxsplit=1)[-1].rsplit('/', 1)[0]}"
    )
    print(f"{'workers':>7}  {'requests/s':>10}  {'server CPU ms/request':>21}  {'errors':>6}")
    for workers, rate, cpu_ms, errors in rows:
        print(f"{workers:>7}  {rate:>10.0f}  {cpu_ms:>21.2f}  {errors:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
