"""Benchmark FlatDHCP: floating IPs over HTTP, and the network host's reconcile.

    python benchmarks/flat_dhcp.py --db sqlite
    python benchmarks/flat_dhcp.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/flat_dhcp.py --db sqlite --reconcile      # needs root

1. Floating IP allocate + associate per second: one ``netservice-api``
   process (net-services off, so only the API and the database are timed),
   one client on a keep-alive connection, sequential; against the raw rate of
   one-row INSERT+COMMIT transactions on the same database in the same run.
2. With ``--reconcile`` (root): the time the network host's net-service takes
   to apply one change (a new instance's host entry, a floating IP), with 10
   and with 5,000 instances on the network, in a fresh namespace with a real
   dnsmasq and nft.  O(1) means the two times are alike.  The pass reads
   the rows changed since the last one, plus those of the last few seconds
   (``netservice.dhcp.service.MARGIN``, for writers' clock skew), so its cost
   follows the recent changes, not the network's size.

Ratios are medians of ``--repeat`` runs within this one run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.dhcp.service import MARGIN
from netservice.ipam import planner
from netservice.linux.testing import Namespaces
from netservice.testing import databases
from netservice.testing.config import make_conf, write_config

sys.path.insert(0, os.path.dirname(__file__))
from ipam import RAW, raw_rate  # the same baseline as benchmarks/ipam.py

CTX = RequestContext(project_id="p1")


def machine() -> str:
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs, {model}, kernel {platform.release()}, Python {python}"


def config_for(workdir, url, **extra):
    sections = {"DEFAULT": {"host": "bench-host"}, "api": {"embedded_net_services": "false"}}
    for group, values in extra.items():
        sections.setdefault(group, {}).update(values)
    return write_config(
        workdir, ["flat_dhcp"], default="flat_dhcp", connection=url, extra=sections
    )


def open_plugin(path):
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    return manager, manager.get("flat_dhcp")


def seed(plugin, cidr, instances, floating_range):
    """A network with ``instances`` bound VNICs, and a floating range; returns the addresses."""
    admin = RequestContext.admin()
    size = 2 ** (32 - int(cidr.split("/")[1]))
    (network,), _ = plugin.networks.create(
        planner.NetworkRequest(
            label="bench", cidr=cidr, network_size=size, bridge="br100", project_id="p1"
        )
    )
    addresses = []
    for _ in range(instances):
        vnic = plugin.vnics.create(admin, project_id="p1")
        addresses.append(plugin.vnics.bind(admin, vnic.id))
    plugin.floating.create_range(floating_range)
    return network, addresses


# --- 1. floating IPs over HTTP --------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def api(path, port):
    exe = os.path.join(os.path.dirname(sys.executable), "netservice-api")
    proc = subprocess.Popen([exe, "--config-file", path], stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("netservice-api did not start") from None
                time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def floating_rate(port, fixed_addresses):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"X-Project-Id": "p1", "Content-Type": "application/json"}

    def call(path, body):
        conn.request("POST", path, json.dumps(body), headers)
        reply = conn.getresponse()
        data = reply.read()
        if reply.status >= 300:
            raise RuntimeError(f"POST {path}: {reply.status} {data[:200]!r}")
        return json.loads(data) if data else None

    start = time.perf_counter()
    for fixed in fixed_addresses:
        ip = call("/v1.0/flat_dhcp/floating_ips", {"floating_ip": {}})["floating_ip"]["ip"]
        call(f"/v1.0/flat_dhcp/floating_ips/{ip}/action", {"associate": {"fixed_address": fixed}})
    rate = len(fixed_addresses) / (time.perf_counter() - start)
    conn.close()
    return rate


@contextlib.contextmanager
def fresh_db(db, workdir):
    """A database of its own: a file in ``workdir``, or a new one on the server."""
    if db == "sqlite":
        yield f"sqlite:///{workdir}/bench.sqlite"
        return
    url, name = databases.fresh_schema(db)
    try:
        yield url
    finally:
        databases.drop_schema(db, name)


def bench_floating(db, n, repeat):
    rows = []
    with tempfile.TemporaryDirectory(prefix="nsbench-") as workdir, fresh_db(db, workdir) as url:
        port = _free_port()
        path = config_for(workdir, url, api={"bind_port": port},
                          flat_dhcp={"quota_floating_ips": -1})  # fmt: skip
        manager, plugin = open_plugin(path)
        _, fixed = seed(plugin, "10.100.0.0/16", n * repeat, "172.20.0.0/16")
        RAW.create(manager.database.engine, checkfirst=True)
        rates, ratios = [], []
        with api(path, port):
            for i in range(repeat):
                rate = floating_rate(port, fixed[i * n : (i + 1) * n])
                raw = raw_rate(manager.database, 1000)
                rates.append(rate)
                ratios.append(rate / raw)
        manager.database.dispose()
    rows.append(("floating IP allocate+associate per s (HTTP)", f"{statistics.median(rates):.0f}"))
    rows.append(("  / raw INSERT+COMMIT rate", f"{statistics.median(ratios):.2f}"))
    return rows


# --- 2. one change on the network host ----------------------------------------------


def bench_reconcile(db, sizes, repeat):
    rows = []
    for size in sizes:
        with (
            Namespaces("nsb") as netns,
            tempfile.TemporaryDirectory(prefix="nsbench-") as workdir,
            fresh_db(db, workdir) as url,
        ):
            os.chmod(workdir, 0o755)  # dnsmasq runs as nobody
            host = netns("host")
            path = config_for(workdir, url, DEFAULT={"state_path": os.path.join(workdir, "state")},
                              linux={"namespace": host})  # fmt: skip
            manager, plugin = open_plugin(path)
            network, _ = seed(plugin, "10.100.0.0/16", size, "172.20.0.0/24")
            service = plugin.get_net_service()
            service.reconcile()  # the full pass: starts dnsmasq with every host
            # Rows written in the last MARGIN seconds are read again on purpose
            # (writers' clocks may lag); instances that have existed a while
            # are not, which is what this measures.
            time.sleep(MARGIN.total_seconds() + 1)
            admin = RequestContext.admin()
            host_entry, floating = [], []
            for _ in range(repeat):
                vnic = plugin.vnics.create(admin, project_id="p1")
                fixed = plugin.vnics.bind(admin, vnic.id)
                start = time.perf_counter()
                service.reconcile_network(str(network.id))
                host_entry.append(time.perf_counter() - start)
                ip = plugin.floating.allocate(CTX, "p1").address
                plugin.floating.associate(CTX, ip, fixed, "bench-host")
                start = time.perf_counter()
                service.reconcile_network(str(network.id))
                floating.append(time.perf_counter() - start)
            pid = service.dp.dhcp.pid(str(network.id))
            service.dp.dhcp.stop(str(network.id))
            service.dp.close()
            manager.database.dispose()
        rows.append((size, statistics.median(host_entry), statistics.median(floating), pid))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite", help="sqlite, or a SQLAlchemy URL of a server")
    parser.add_argument("--n", type=int, default=300, help="floating IPs per HTTP sample")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reconcile", action="store_true", help="also time the net-service (root)"
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"database: {args.db.split('@')[-1]}; n={args.n}, median of {args.repeat}\n")
    print("| figure | measured |\n|---|---|")
    for figure, value in bench_floating(args.db, args.n, args.repeat):
        print(f"| {figure} | {value} |")
    if not args.reconcile:
        return 0
    if os.geteuid() != 0 or not shutil.which("dnsmasq"):
        print("\n(reconcile figures skipped: they need root and dnsmasq)")
        return 0
    print("\n| instances on the network | apply one new host entry | apply one floating IP |")
    print("|---|---|---|")
    results = bench_reconcile(args.db, (10, 5000), max(args.repeat, 5))
    for size, entry, floating, _ in results:
        print(f"| {size:,} | {entry * 1000:.1f} ms | {floating * 1000:.1f} ms |")
    (_, e10, f10, _), (_, e5k, f5k, _) = results
    print(f"| ratio 5,000 / 10 | {e5k / e10:.2f}x | {f5k / f10:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
