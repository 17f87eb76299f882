"""Benchmark netservice.ipam and the flat plugin against the raw transaction rate.

    python benchmarks/ipam.py --db sqlite
    python benchmarks/ipam.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/ipam.py --db mysql+pymysql://root@127.0.0.1:3306/test

A server URL names a database to connect to; the benchmark creates a fresh
database beside it and drops it at the end.  Every figure that is a ratio is
measured within this one run, as the median of ``--repeat`` repetitions, so
it compares like with like on the same machine and server.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import http.client
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import sqlalchemy as sa
from netservice_flat.models import FlatIpAddress, FlatNetwork
from netservice_flat.plugin import BRANCH

from netservice.core import bootstrap
from netservice.core.db import migration
from netservice.core.db.model_base import utcnow
from netservice.core.db.session import Database
from netservice.ipam import exceptions, planner, ranges
from netservice.ipam.allocator import Allocator
from netservice.testing import databases
from netservice.testing.config import make_conf, write_config

RAW = sa.Table(
    "bench_raw",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("v", sa.Integer),
)


def allocator():
    return Allocator(FlatNetwork.__table__, FlatIpAddress.__table__)


def make_network(db, cidr, **options):
    request = planner.NetworkRequest(label="bench", cidr=cidr, **options)
    (net,) = planner.plan_networks(request, planner.Topology(), planner.Used()).networks
    with db.writer() as session:
        return allocator().insert_network(
            session.connection(), dataclasses.asdict(net), net.reserved()
        )


def fixed_rows(db, network_id):
    with db.transaction() as session:
        return session.scalar(
            sa.select(sa.func.count()).where(FlatIpAddress.network_id == network_id)
        )


def raw_rate(db, n):
    """One-row INSERT+COMMIT transactions per second, through the same engine."""
    start = time.perf_counter()
    for i in range(n):
        with db.engine.begin() as conn:
            conn.execute(RAW.insert().values(v=i))
    return n / (time.perf_counter() - start)


def allocate_many(db, network_id, n):
    alloc = allocator()
    start = time.perf_counter()
    for _ in range(n):
        with db.write_connection() as conn:
            alloc.allocate(conn, network_id)
    return n / (time.perf_counter() - start)


def fill(db, network_id, first, last):
    """Rows for addresses first..last, as if allocated, and the cursor after them."""
    now = utcnow()
    rows = [
        {"network_id": network_id, "address": ranges.to_text(v), "address_int": v,
         "allocated": True, "leased": False, "reserved": False, "created_at": now}
        for v in range(first, last + 1)
    ]  # fmt: skip
    with db.writer() as session:
        for chunk in range(0, len(rows), 5000):
            session.execute(FlatIpAddress.__table__.insert(), rows[chunk : chunk + 5000])
        session.execute(
            sa.update(FlatNetwork)
            .where(FlatNetwork.id == network_id)
            .values(next_address=last + 1)
        )


def _worker(args):
    url, network_id, attempts, start = args
    db = Database(url)
    alloc = allocator()
    start.wait()
    got, full, errors = [], 0, []
    for _ in range(attempts):
        try:
            with db.write_connection() as conn:
                got.append(alloc.allocate(conn, network_id).address)
        except exceptions.NoMoreFixedIps:
            full += 1
        except Exception as err:
            errors.append(f"{type(err).__name__}: {err}")
    db.dispose()
    return got, full, errors


def concurrent(url, network_id, processes, attempts):
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(processes) as pool:
            pending = pool.map_async(_worker, [(url, network_id, attempts, start)] * processes, 1)
            time.sleep(0.5)
            began = time.perf_counter()
            start.set()
            results = pending.get(timeout=600)
            elapsed = time.perf_counter() - began
    got = [a for addresses, _, _ in results for a in addresses]
    dupes = sum(1 for _, count in collections.Counter(got).items() if count > 1)
    errors = [e for _, _, errs in results for e in errs]
    full = sum(n for _, n, _ in results)
    return len(got), dupes, errors, full, elapsed


# --- HTTP -------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def api_server(url, workdir):
    port = _free_port()
    path = write_config(workdir, ["flat"], default="flat", connection=url,
                        extra={"api": {"bind_port": port, "workers": 1}})  # fmt: skip
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    manager.database.dispose()
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
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def http_rate(port, n):
    """VNIC created and bound, sequentially, per second (two requests each)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    admin = {"X-Project-Id": "ops", "X-Roles": "admin", "Content-Type": "application/json"}
    user = {"X-Project-Id": "p1", "Content-Type": "application/json"}

    def call(method, path, body, headers):
        conn.request(method, path, json.dumps(body), headers)
        reply = conn.getresponse()
        data = reply.read()
        if reply.status >= 300:
            raise RuntimeError(f"{method} {path}: {reply.status} {data[:200]!r}")
        return json.loads(data)

    network = {"label": "h", "cidr": "10.200.0.0/16", "project_id": "p1", "network_size": 65536}
    with contextlib.suppress(RuntimeError):  # already there from an earlier sample
        call("POST", "/v1.0/flat/networks", {"network": network}, admin)
    start = time.perf_counter()
    for _ in range(n):
        vnic = call("POST", "/v1.0/flat/vnics", {"vnic": {}}, user)["vnic"]["id"]
        call("POST", "/v1.0/flat/ports", {"port": {"vnic_id": vnic}}, user)
    rate = n / (time.perf_counter() - start)
    conn.close()
    return rate


# --- the run ----------------------------------------------------------------------


def machine():
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs, {model}, Python {python}, SQLAlchemy {sa.__version__}"


def server_version(db):
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            return "SQLite " + conn.exec_driver_sql("select sqlite_version()").scalar()
        return conn.exec_driver_sql("select version()").scalar().split(",")[0][:60]


def run(url, args, workdir):
    db = Database(url)
    migration.upgrade(db, BRANCH)
    RAW.create(db.engine, checkfirst=True)
    rows = []

    def row(figure, value, target, ok):
        rows.append((figure, value, target, "-" if ok is None else ("yes" if ok else "NO")))

    # 1. network creation
    times = {}
    counts = {}
    for label, cidr, size in (("/24", "10.1.0.0/24", 256), ("/16", "10.2.0.0/16", 65536),
                              ("/8", "11.0.0.0/8", 2**24)):  # fmt: skip
        samples = []
        for i in range(args.repeat):
            base = cidr if i == 0 else None
            start = time.perf_counter()
            net = make_network(db, base or f"{12 + i}.0.0.0/{cidr.split('/')[1]}" if label == "/8"
                               else f"{20 + i}.{cidr.split('.')[1]}.0.0/{cidr.split('/')[1]}",
                               network_size=size)  # fmt: skip
            samples.append((time.perf_counter() - start) * 1000)
        times[label] = statistics.median(samples)
        counts[label] = fixed_rows(db, net)
    row("create /24, /16, /8 network (ms)",
        " / ".join(f"{times[k]:.1f}" for k in ("/24", "/16", "/8")), "/8 <= 50 ms",
        times["/8"] <= 50)  # fmt: skip
    row("rows written for /24, /16, /8", " / ".join(str(counts[k]) for k in ("/24", "/16", "/8")),
        "same for all", len(set(counts.values())) == 1)  # fmt: skip

    # 2. sequential allocation vs raw INSERT+COMMIT
    ratios, raws, allocs = [], [], []
    for i in range(args.repeat):
        net = make_network(db, f"30.{i}.0.0/16", network_size=65536)
        raw = raw_rate(db, args.n)
        alloc = allocate_many(db, net, args.n)
        raws.append(raw)
        allocs.append(alloc)
        ratios.append(alloc / raw)
    raw_median = statistics.median(raws)
    ratio = statistics.median(ratios)
    row("raw one-row INSERT+COMMIT per s", f"{raw_median:.0f}", "(reference)", True)
    row("sequential allocations per s", f"{statistics.median(allocs):.0f}", "", True)
    row("  allocations / raw", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5)

    # 3. position independence on a /16
    slow = []
    for i in range(args.repeat):
        net = make_network(db, f"40.{i}.0.0/16", network_size=65536)
        early = allocate_many(db, net, 1000)
        first = ranges.to_int(f"40.{i}.0.0") + 1
        fill(db, net, first + 1000 + 1, first + 60000 - 1)  # the gateway holds first
        late = allocate_many(db, net, 1000)
        slow.append(early / late)
    factor = statistics.median(slow)
    row("/16: time of 60,001-61,000 vs 1-1,000", f"{factor:.2f}x", "<= 1.25x", factor <= 1.25)

    # 4. eight processes on a /20
    net = make_network(db, "50.0.0.0/20", network_size=4096)
    got, dupes, errors, _, elapsed = concurrent(url, net, 8, 500)
    measured = f"{got} ok, {dupes} dup, {len(errors)} err, {got / elapsed:.0f}/s"
    row("8 processes x 500 on a /20", measured, "0 dup, 0 err",
        dupes == 0 and not errors and got == 4000)  # fmt: skip

    # 5. contention for the last 100
    net = make_network(db, "60.0.0.0/24", allowed_start="60.0.0.10", allowed_end="60.0.0.109")
    got, dupes, errors, full, _ = concurrent(url, net, 8, 25)
    row(
        "8 processes for the last 100",
        f"{got} ok, {full} NoMoreFixedIps, {len(errors)} err",
        "100 ok, rest NoMoreFixedIps",
        got == 100 and full == 100 and not errors and dupes == 0,
    )

    # 6. HTTP
    if not args.no_http:
        with api_server(url, os.path.join(workdir, "api")) as port:
            http_rates, http_ratios = [], []
            for _ in range(args.repeat):
                rate = http_rate(port, args.http_n)
                raw = raw_rate(db, args.n)
                http_rates.append(rate)
                http_ratios.append(rate / raw)
        hr = statistics.median(http_ratios)
        measured = f"{statistics.median(http_rates):.0f}"
        row("HTTP: VNIC created + bound per s (1 API process)", measured, "", None)
        # The issue sets this target on PostgreSQL only; elsewhere it is shown
        # for comparison.
        on_pg = db.backend == "postgresql"
        row("  HTTP rate / raw", f"{hr:.2f}", ">= 0.1" if on_pg else "(PostgreSQL only)",
            hr >= 0.1 if on_pg else None)  # fmt: skip
    version = server_version(db)
    db.dispose()
    return rows, version


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite", help="sqlite, or a SQLAlchemy URL of a server")
    parser.add_argument("--n", type=int, default=1000, help="transactions per rate sample")
    parser.add_argument("--http-n", type=int, default=300, help="VNIC+bind pairs per HTTP sample")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the median is shown")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP figure")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ipam-bench-") as workdir:
        if args.db == "sqlite":
            url, drop = f"sqlite:///{workdir}/bench.sqlite", None
        else:
            url, name = databases.fresh_schema(args.db)
            drop = (args.db, name)
        try:
            rows, version = run(url, args, workdir)
        finally:
            if drop:
                databases.drop_schema(*drop)
    print(f"machine: {machine()}")
    print(f"database: {version} ({sa.engine.make_url(url).get_backend_name()}); "
          f"n={args.n}, http_n={args.http_n}, median of {args.repeat}")  # fmt: skip
    widths = [
        max(len(str(r[i])) for r in [("figure", "measured", "target", "met"), *rows])
        for i in range(4)
    ]
    for r in [("figure", "measured", "target", "met"), *rows]:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return 0 if all(r[3] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
