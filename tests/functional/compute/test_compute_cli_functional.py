"""netservice-compute: instances with two NICs (DHCP) and with an injected address (Flat)."""

from __future__ import annotations

import json
import os
import signal
import subprocess

from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.linux.testing import ip_json, poll, reaches
from netservice.testing.config import make_conf, write_config


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if check:
        assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done


def test_boot_show_terminate(need, netns, links_in, state_dir):
    need("dnsmasq", "udhcpc", "nft", "netservice-compute", "netservice-network")
    host = netns("host")
    links_in(host).ensure_bridge("br150")  # Flat: the operator's bridge
    config = write_config(
        str(state_dir / "cfg"), ["flat", "flat_dhcp"], default="flat_dhcp",
        extra={
            "DEFAULT": {"resync_interval": 1},
            "linux": {"namespace": host},
            "flat": {"flat_injected": "true"},
        },
    )  # fmt: skip
    fd = [script("netservice-flat-dhcp-manage"), "--config-file", config]
    run(
        *fd,
        "network",
        "create",
        "--label",
        "a",
        "--fixed_range_v4",
        "10.40.0.0/24",
        "--bridge",
        "br140",
    )
    run(
        *fd,
        "network",
        "create",
        "--label",
        "b",
        "--fixed_range_v4",
        "10.41.0.0/24",
        "--bridge",
        "br141",
    )
    flat = script("netservice-flat-manage")
    run(flat, "--config-file", config, "network", "create", "--label", "f",
        "--fixed_range_v4", "10.50.0.0/24", "--bridge", "br150")  # fmt: skip
    manage = [script("netservice-manage"), "--config-file", config, "project", "network_set"]
    run(*manage, "p1", "flat_dhcp")
    run(*manage, "p2", "flat")
    manager = bootstrap.open_services(make_conf(config))
    plugin = manager.get("flat_dhcp")
    p1 = RequestContext(project_id="p1")
    networks = {n.label: n.uuid for n in plugin.networks.list()}
    first = plugin.vnics.create(p1, network=networks["a"]).id
    second = plugin.vnics.create(p1, network=networks["b"]).id
    netsvc = subprocess.Popen(
        [script("netservice-network"), "--config-file", config], stderr=subprocess.DEVNULL
    )
    compute = [script("netservice-compute"), "--config-file", config]
    vm_a, vm_b = f"{host}-a", f"{host}-b"
    try:
        # Boot is idempotent: repeat until the network host has caught up.
        boot = ["boot", "--project", "p1", "--instance", vm_a, "--vnic", first, "--vnic", second]
        # A failed attempt may have printed eth0's line already: only a whole
        # boot (status 0) counts.
        def booted() -> str | None:
            done = run(*compute, *boot, check=False)
            return done.stdout if done.returncode == 0 else None

        out = poll(booted, timeout=60, interval=0.5)
        lines = out.strip().splitlines()
        assert [line.split()[1] for line in lines] == ["eth0", "eth1"]
        assert ": 10.40.0." in lines[0] and "br140" in lines[0] and "(dhcp)" in lines[0]
        assert ": 10.41.0." in lines[1] and "br141" in lines[1] and "(dhcp)" in lines[1]
        shown = json.loads(run(*compute, "show", "--project", "p1", "--instance", vm_a).stdout)
        assert [i["cidr"] for i in shown["network_info"]] == ["10.40.0.0/24", "10.41.0.0/24"]
        assert reaches(vm_a, "10.40.0.1") and reaches(vm_a, "10.41.0.1")

        # Flat, with file injection: the stand-in gets the injected address.
        out = run(*compute, "boot", "--project", "p2", "--instance", vm_b, "--legacy").stdout
        assert "(injected)" in out and ": 10.50.0.2/24 via 10.50.0.1" in out
        [eth0] = ip_json(vm_b, "-4", "addr", "show", "dev", "eth0")
        assert eth0["addr_info"][0]["local"] == "10.50.0.2"

        # A VNIC of another project is refused, and nothing is left behind.
        refused = run(
            *compute, "boot", "--project", "p2", "--instance", "x", "--vnic", first, check=False
        )
        assert refused.returncode == 1 and "could not be found" in refused.stderr

        for instance, project in ((vm_a, "p1"), (vm_b, "p2")):
            done = run(*compute, "terminate", "--project", project, "--instance", instance)
            assert "torn down" in done.stdout
            assert not os.path.exists(f"/run/netns/{instance}")
        assert run(*compute, "terminate", "--project", "p1", "--instance", vm_a).stdout.startswith(
            f"{vm_a}: 0 NIC"
        )
    finally:
        netsvc.send_signal(signal.SIGTERM)
        netsvc.wait(timeout=15)
        for name in (vm_a, vm_b):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        manager.database.dispose()
