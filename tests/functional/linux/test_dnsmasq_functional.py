"""dnsmasq against real udhcpc clients in fresh namespaces."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from netservice.linux import exceptions, process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq
from netservice.linux.testing import interface_xml, ns_run, poll

MAC = "fa:16:3e:00:00:05"
NETWORK = DhcpNetwork(
    "net1", "br100", "10.0.0.0/24", "10.0.0.1", "10.0.0.2", gateway="10.0.0.1", label="private"
)

RECORDER = """#!/bin/sh
echo "$* service=$NETSERVICE_SERVICE network=$NETSERVICE_NETWORK_ID \\
conf=$NETSERVICE_CONFIG_FILES" >> {log}
"""


@pytest.fixture
def dhcp_host(need, netns, links_in, standins, state_dir):
    """A "host" namespace with br100 and a dnsmasq serving one host entry."""
    need("dnsmasq", "udhcpc", "dhcp_release")
    host = netns("host")
    links_in(host).ensure_bridge("br100", gateway_address="10.0.0.1/24")
    log = state_dir / "script.log"
    script = state_dir / "dhcpbridge"
    script.write_text(RECORDER.format(log=log))
    script.chmod(0o755)
    driver = Dnsmasq(
        state_dir / "dnsmasq",
        process.Runner(host),
        dhcp_script=str(script),
        service="flat_dhcp",
        config_files=["/etc/a.conf", "/etc/b.conf"],
        log_to_file=True,
    )
    pid = driver.ensure(NETWORK, [DhcpHost(MAC, "vm-" + "x" * 70, "10.0.0.5")])
    yield host, driver, pid, log
    driver.stop("net1")


def script_calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_instance_gets_its_ip_and_the_script_is_called(dhcp_host, netns, standins):
    host, _, _, log = dhcp_host
    harness = standins(host)
    vm = harness.create(netns("vm"), interface_xml(MAC, "br100"))
    lease = harness.dhcp(vm)
    assert (lease.ip, lease.prefixlen, lease.router) == ("10.0.0.5", 24, "10.0.0.1")
    assert "inet 10.0.0.5/24" in ns_run(vm.namespace, "ip", "-4", "addr", "show", "eth0").stdout
    conf = os.pathsep.join(["/etc/a.conf", "/etc/b.conf"])
    expected = f"add {MAC} 10.0.0.5 vm-{'x' * 60} service=flat_dhcp network=net1 conf={conf}"
    poll(lambda: expected in script_calls(log))
    assert script_calls(log)[0].startswith("init ")


def test_second_ensure_reuses_the_running_dnsmasq(dhcp_host):
    _, driver, pid, _ = dhcp_host
    assert driver.ensure(NETWORK) == pid
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[0].endswith(b"dnsmasq") and b"--leasefile-ro" in cmdline


def test_removed_host_keeps_pid_and_gets_no_lease_after_release(dhcp_host, netns, standins):
    host, driver, pid, log = dhcp_host
    harness = standins(host)
    vm = harness.create(netns("vm"), interface_xml(MAC, "br100"))
    assert harness.dhcp(vm).ip == "10.0.0.5"
    driver.remove_host("net1", MAC)
    driver.release(NETWORK, "10.0.0.5", MAC)
    poll(lambda: any(line.startswith(f"del {MAC} 10.0.0.5") for line in script_calls(log)))
    assert driver.pid("net1") == pid
    ns_run(vm.namespace, "ip", "addr", "flush", "dev", "eth0")
    with pytest.raises(exceptions.CommandFailed):
        harness.dhcp(vm, attempts=2)
    assert driver.pid("net1") == pid
    # Adding it back works without a restart too.
    driver.add_host("net1", DhcpHost(MAC, "vm", "10.0.0.6"))
    assert harness.dhcp(vm).ip == "10.0.0.6"
    assert driver.pid("net1") == pid


def test_dead_dnsmasq_is_restarted_on_next_ensure(dhcp_host):
    _, driver, pid, _ = dhcp_host
    os.kill(pid, signal.SIGKILL)
    poll(lambda: driver.pid("net1") is None)
    new = driver.ensure(NETWORK)
    assert new != pid
    assert Path(f"/proc/{new}/cmdline").read_bytes().split(b"\0")[0].endswith(b"/dnsmasq")


def test_stop_cleans_up(dhcp_host, state_dir):
    _, driver, pid, _ = dhcp_host
    driver.stop("net1")
    driver.stop("net1")
    poll(
        lambda: (
            not Path(f"/proc/{pid}/cmdline").exists()
            or not Path(f"/proc/{pid}/cmdline").read_bytes()
        )
    )
    assert not (state_dir / "dnsmasq" / "net1").exists()


def test_failed_start_says_why(need, netns, state_dir):
    need("dnsmasq")
    host = netns("host")  # no bridge, so no address to listen on
    driver = Dnsmasq(state_dir, process.Runner(host))
    with pytest.raises(exceptions.DhcpError, match="dnsmasq for network net1"):
        driver.ensure(NETWORK)
