"""netservice-standin, the stand-in instance CLI, against a real bridge and dnsmasq."""

from __future__ import annotations

import os
import subprocess

from netservice.core.programs import script
from netservice.linux import process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq
from netservice.testing.config import write_config

MAC = "fa:16:3e:00:00:31"


def test_up_with_dhcp_then_down(need, netns, links_in, state_dir):
    need("dnsmasq", "udhcpc", "netservice-standin")
    host = netns("host")
    links_in(host).ensure_bridge("br31", gateway_address="10.31.0.1/24")
    driver = Dnsmasq(state_dir / "dnsmasq", process.Runner(host))
    network = DhcpNetwork(
        "n31", "br31", "10.31.0.0/24", "10.31.0.1", "10.31.0.2", gateway="10.31.0.1"
    )
    driver.ensure(network, [DhcpHost(MAC, "vm31", "10.31.0.7")])
    config = write_config(
        str(state_dir / "cfg"), [], default="flat", extra={"linux": {"namespace": host}}
    )
    vm = f"{host}-vm"
    try:
        up = subprocess.run(
            [
                script("netservice-standin"),
                "--config-file",
                config,
                "up",
                vm,
                "--mac",
                MAC,
                "--bridge",
                "br31",
                "--dhcp",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert up.returncode == 0, up.stderr
        assert up.stdout.strip() == f"{vm} eth0 {MAC} on br31: 10.31.0.7/24 via 10.31.0.1"
        down = subprocess.run([script("netservice-standin"), "--config-file", config, "down", vm],
                              capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert down.returncode == 0, down.stderr
        assert not os.path.exists(f"/run/netns/{vm}")
    finally:
        driver.stop("n31")
        subprocess.run(["ip", "netns", "del", vm], capture_output=True, check=False)


def test_bad_input_is_one_line(state_dir):
    config = write_config(str(state_dir / "cfg2"), [], default="flat")
    done = subprocess.run([script("netservice-standin"), "--config-file", config, "up", "x"],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 1
    assert "give --xml, or --mac and --bridge" in done.stderr
