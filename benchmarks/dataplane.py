"""Data-plane benchmark (needs root): python benchmarks/dataplane.py [--quick]

Prints a table of:
- binding one floating IP with 10, 1,000 and 10,000 already bound (median of
  several binds each, with the 10,000/10 ratio; target <= 1.5);
- adding one DHCP host to a running dnsmasq serving 65,536 hosts (target
  <= 100 ms, pid unchanged);
- setting up and tearing down one stand-in instance port (veth, bridge,
  anti-spoofing rules).

Everything runs in fresh network namespaces, removed at the end.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from netservice.linux import firewall, nftables, process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq
from netservice.linux.links import Links
from netservice.linux.netlink import PyRoute2Backend
from netservice.linux.standin import StandIns
from netservice.linux.testing import Namespaces, interface_xml, poll

ROWS: list[tuple[str, str, str]] = []


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fill_floating(host: str, table: str, public: str, start: int, count: int) -> None:
    """Bind ``count`` floating IPs in bulk (map elements and local routes)."""
    if count <= 0:
        return
    fl = [ipaddress.IPv4Address(0x64400000 + start + i) for i in range(count)]  # 100.64/10
    fx = [ipaddress.IPv4Address(0x0A800000 + start + i) for i in range(count)]  # 10.128/9
    dnat = ", ".join(f"{f} : {x}" for f, x in zip(fl, fx, strict=True))
    snat = ", ".join(f"{x} : {f}" for f, x in zip(fl, fx, strict=True))
    batch = (
        f"add element ip {table} fip_dnat {{ {dnat} }}\n"
        f"add element ip {table} fip_snat {{ {snat} }}\n"
    )
    process.Runner(host).run(["nft", "-f", "-"], stdin=batch)
    routes = "".join(f"route add local {f}/32 dev {public} table local\n" for f in fl)
    subprocess.run(["ip", "-n", host, "-batch", "-"], input=routes, text=True, check=True)


def bench_floating(netns: Namespaces, repeats: int) -> None:
    host, ext = netns("fip-host"), netns("fip-ext")
    links = Links(PyRoute2Backend(host), PyRoute2Backend)
    links.ensure_veth("pub0", "ext0", peer_namespace=ext)
    links.ensure_address("pub0", "192.0.2.2/24")
    config = nftables.NatConfig(public_interface="pub0", routing_source_ip="192.0.2.2")
    runner = process.Runner(host)
    # Gratuitous ARP runs in the background and is not part of the cost.
    fw = firewall.Firewall(firewall.Nft(runner), runner, links, config, send_arp_for_ha=False)
    fw.ensure_base()
    bound = 0
    medians = {}
    for target in (10, 1000, 10000):
        fill_floating(host, config.table, "pub0", bound, target - bound)
        bound = target
        samples = []
        for i in range(repeats):
            floating, fixed = f"198.51.100.{i + 1}", f"10.200.0.{i + 1}"
            samples.append(timed(lambda f=floating, x=fixed: fw.bind_floating_ip(f, x)))
            fw.unbind_floating_ip(floating, fixed)
        medians[target] = statistics.median(samples)
        ROWS.append(
            (f"bind 1 floating IP, {target:,} bound", ms(medians[target]), f"median of {repeats}")
        )
    ratio = medians[10000] / medians[10]
    verdict = "ok" if ratio <= 1.5 else "OVER TARGET"
    ROWS.append(("  ratio 10,000 / 10", f"{ratio:.2f}x", f"target <= 1.5x: {verdict}"))
    links.close()


def bench_dhcp(netns: Namespaces, hosts: int) -> None:
    host = netns("dhcp-host")
    links = Links(PyRoute2Backend(host), PyRoute2Backend)
    links.ensure_bridge("br100", gateway_address="10.0.0.1/8")
    links.close()
    state = Path(tempfile.mkdtemp(prefix="netservice-bench-"))
    state.chmod(0o755)
    driver = Dnsmasq(state, process.Runner(host), log_to_file=True)
    network = DhcpNetwork("bench", "br100", "10.0.0.0/8", "10.0.0.1", "10.0.0.2")
    entries = [
        DhcpHost(
            f"fa:16:3e:{(i >> 16) & 255:02x}:{(i >> 8) & 255:02x}:{i & 255:02x}",
            f"vm-{i}",
            str(ipaddress.IPv4Address(0x0A010000 + i)),
        )
        for i in range(hosts)
    ]
    driver.sync_hosts("bench", entries)
    start = time.perf_counter()
    pid = driver.ensure(network)
    log = state / "bench" / "dnsmasq.log"
    poll(lambda: log.exists() and "read " in log.read_text()[-4096:], timeout=600, interval=0.2)
    # dnsmasq logs one "read" line per host file at start-up; wait for all.
    poll(lambda: log.read_text().count(" read ") >= hosts, timeout=600, interval=0.5)
    ROWS.append(
        (f"dnsmasq start with {hosts:,} hosts", f"{time.perf_counter() - start:.1f} s", "")
    )
    new = DhcpHost("fa:16:3e:ff:ff:ff", "vm-new", "10.255.255.254")
    call = timed(lambda: driver.add_host("bench", new))
    seen_start = time.perf_counter() - call
    marker = f"read {state}/bench/hosts.d/{new.mac}"
    poll(lambda: marker in log.read_text()[-65536:], timeout=10, interval=0.001)
    seen = time.perf_counter() - seen_start
    same = driver.pid("bench") == pid
    ROWS.append(
        (
            f"add 1 DHCP host, {hosts:,} configured",
            ms(call),
            f"read by dnsmasq after {ms(seen)}; pid unchanged: {same}"
            f"; target <= 100 ms: {'ok' if seen <= 0.1 and same else 'OVER TARGET'}",
        )
    )
    driver.stop("bench")
    subprocess.run(["rm", "-rf", str(state)], check=False)


def bench_port(netns: Namespaces, repeats: int) -> None:
    host = netns("port-host")
    links = Links(PyRoute2Backend(host), PyRoute2Backend)
    links.ensure_bridge("br100", gateway_address="10.0.0.1/24")
    runner = process.Runner(host)
    fw = firewall.Firewall(firewall.Nft(runner), runner, links, nftables.NatConfig())
    fw.ensure_base()
    harness = StandIns(links, lambda ns: Links(PyRoute2Backend(ns)))
    ups, downs = [], []
    for i in range(repeats):
        mac = f"fa:16:3e:00:10:{i:02x}"
        name = f"{netns.tag}-vm{i}"

        def up(name: str = name, mac: str = mac, ip: str = f"10.0.0.{i + 10}") -> None:
            vm = harness.create(name, interface_xml(mac, "br100"))
            fw.ensure_vnic(vm.vnics[0].host_ifname, mac, [ip])

        def down(name: str = name, mac: str = mac) -> None:
            fw.remove_vnic("tap" + mac.replace(":", "")[-8:])
            harness.destroy(name)

        ups.append(timed(up))
        downs.append(timed(down))
    ROWS.append(("stand-in port set-up", ms(statistics.median(ups)), "ns + veth + bridge + nft"))
    ROWS.append(("stand-in port tear-down", ms(statistics.median(downs)), f"median of {repeats}"))
    links.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,096 DHCP hosts, fewer repeats")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("benchmarks/dataplane.py needs root")
    repeats = 5 if args.quick else 11
    hosts = 4096 if args.quick else 65536
    with Namespaces("nsb") as netns:
        bench_port(netns, repeats)
        bench_floating(netns, repeats)
        bench_dhcp(netns, hosts)
    print(
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"kernel {platform.release()}, Python {platform.python_version()}"
    )
    nft = subprocess.run(["nft", "--version"], check=False, capture_output=True, text=True)
    dq = subprocess.run(["dnsmasq", "--version"], check=False, capture_output=True, text=True)
    print(f"tools: {nft.stdout.strip()}; {dq.stdout.splitlines()[0] if dq.stdout else '?'}")
    width = max(len(r[0]) for r in ROWS)
    print(f"\n| {'figure':<{width}} | {'time':>10} | notes")
    print(f"|{'-' * (width + 2)}|{'-' * 12}|------")
    for name, value, note in ROWS:
        print(f"| {name:<{width}} | {value:>10} | {note}")


if __name__ == "__main__":
    main()
