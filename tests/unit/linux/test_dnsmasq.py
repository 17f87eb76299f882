"""dnsmasq's command line, files and decisions (no dnsmasq is started)."""

from __future__ import annotations

import io
import os

import pytest

from netservice.core.exceptions import InvalidInput
from netservice.linux import dnsmasq, dnsmasq_script, process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq

NETWORK = DhcpNetwork(
    "net1", "br100", "10.0.0.0/24", "10.0.0.1", "10.0.0.3", gateway="10.0.0.1", dns=("8.8.8.8",)
)


@pytest.fixture
def driver(tmp_path):
    return Dnsmasq(
        tmp_path,
        process.DryRunRunner(out=io.StringIO()),
        dhcp_script="/usr/bin/netservice-dhcpbridge",
        service="vlan",
        config_files=["/etc/netservice/a.conf", "/etc/netservice/b.conf"],
        dns_servers=["1.1.1.1", "9.9.9.9"],
    )


def test_command_line_follows_the_reference(driver, tmp_path):
    base = tmp_path / "net1"
    assert driver.command(NETWORK) == [
        "dnsmasq",
        "--strict-order",
        "--bind-interfaces",
        "--conf-file=",
        f"--pid-file={base}/pid",
        "--listen-address=10.0.0.1",
        "--except-interface=lo",
        "--dhcp-range=set:net1,10.0.0.3,static,255.255.255.0,86400s",
        "--dhcp-lease-max=256",
        f"--dhcp-hostsdir={base}/hosts.d",
        f"--dhcp-optsfile={base}/opts",
        "--dhcp-script=/usr/bin/netservice-dhcpbridge",
        "--no-hosts",
        "--leasefile-ro",
        "--domain=novalocal",
        "--no-resolv",
        "--server=1.1.1.1",
        "--server=9.9.9.9",
    ]


def test_environment_for_the_dhcpbridge(driver):
    env = driver.environment("net1")
    assert env["NETSERVICE_SERVICE"] == "vlan"
    assert env["NETSERVICE_NETWORK_ID"] == "net1"
    assert env["NETSERVICE_CONFIG_FILES"].split(os.pathsep) == [
        "/etc/netservice/a.conf",
        "/etc/netservice/b.conf",
    ]


def test_host_line_and_options():
    host = DhcpHost("fa:16:3e:00:00:01", "h" * 80, "10.0.0.5")
    assert host.line("novalocal") == f"fa:16:3e:00:00:01,{'h' * 63}.novalocal,10.0.0.5"
    assert Dnsmasq.options(NETWORK) == "3,10.0.0.1\n6,8.8.8.8\n"


def test_hosts_are_one_file_each_and_removal_writes_a_tombstone(driver, tmp_path):
    hosts = tmp_path / "net1" / "hosts.d"
    driver.sync_hosts("net1", [DhcpHost("FA:16:3E:00:00:01", "a", "10.0.0.5")])
    driver.add_host("net1", DhcpHost("fa:16:3e:00:00:02", "b", "10.0.0.6"))
    assert sorted(p.name for p in hosts.iterdir()) == ["fa:16:3e:00:00:01", "fa:16:3e:00:00:02"]
    assert (hosts / "fa:16:3e:00:00:02").read_text() == "fa:16:3e:00:00:02,b.novalocal,10.0.0.6\n"
    assert oct((hosts / "fa:16:3e:00:00:02").stat().st_mode & 0o777) == "0o644"
    driver.remove_host("net1", "fa:16:3e:00:00:01")
    driver.remove_host("net1", "fa:16:3e:00:00:99")
    assert (hosts / "fa:16:3e:00:00:01").read_text() == "fa:16:3e:00:00:01,ignore\n"
    assert not (hosts / "fa:16:3e:00:00:99").exists()
    driver.sync_hosts("net1", [])
    assert (hosts / "fa:16:3e:00:00:02").read_text() == "fa:16:3e:00:00:02,ignore\n"


def test_release_runs_dhcp_release(driver):
    driver.release(NETWORK, "10.0.0.5", "fa:16:3e:00:00:01")
    assert driver.runner.out.getvalue() == "exec: dhcp_release br100 10.0.0.5 fa:16:3e:00:00:01\n"


def test_release_is_skipped_without_force(tmp_path):
    runner = process.DryRunRunner(out=io.StringIO())
    Dnsmasq(tmp_path, runner, force_release=False).release(
        NETWORK, "10.0.0.5", "fa:16:3e:00:00:01"
    )
    assert runner.out.getvalue() == ""


def test_bad_input(driver):
    with pytest.raises(InvalidInput, match="'mac'"):
        driver.add_host("net1", DhcpHost("nope", "a", "10.0.0.5"))
    with pytest.raises(InvalidInput, match="'network_id'"):
        driver.add_host("../etc", DhcpHost("fa:16:3e:00:00:01", "a", "10.0.0.5"))
    with pytest.raises(InvalidInput, match="'cidr'"):
        driver.command(DhcpNetwork("n", "br0", "10.0.0.1/24", "10.0.0.1", "10.0.0.2"))


def test_not_our_pid_is_not_running(driver, tmp_path):
    base = tmp_path / "net1"
    base.mkdir()
    (base / "pid").write_text(f"{os.getpid()}\n")  # this Python, not a dnsmasq
    assert driver.pid("net1") is None
    assert dnsmasq.BULK_THRESHOLD < 16384  # inotify's default queue


@pytest.mark.parametrize(
    ("args", "event"),
    [
        (
            ["add", "FA:16:3E:00:00:01", "10.0.0.5", "vm1"],
            ("lease", "fa:16:3e:00:00:01", "10.0.0.5", "vm1"),
        ),
        (
            ["old", "fa:16:3e:00:00:01", "10.0.0.5"],
            ("lease", "fa:16:3e:00:00:01", "10.0.0.5", None),
        ),
        (
            ["del", "fa:16:3e:00:00:01", "10.0.0.5", "vm1"],
            ("release", "fa:16:3e:00:00:01", "10.0.0.5", "vm1"),
        ),
        (["init"], ("leases", "", "", None)),
    ],
)
def test_script_calls_become_neutral_lease_events(args, event):
    got = dnsmasq_script.script_event(args)
    assert got is not None and (got.kind, got.mac, got.ip, got.hostname) == event


@pytest.mark.parametrize("args", [[], ["tftp", "x", "y"], ["add", "fa:16:3e:00:00:01"], ["lease"]])
def test_other_script_calls_are_not_events(args):
    assert dnsmasq_script.script_event(args) is None


def test_lease_file_line_is_dnsmasqs_format():
    assert dnsmasq_script.lease_file_line(1700000000, "fa:16:3e:00:00:01", "10.0.0.5", "vm1") == (
        "1700000000 fa:16:3e:00:00:01 10.0.0.5 vm1 *"
    )
    assert dnsmasq_script.lease_file_line(0, "fa:16:3e:00:00:01", "10.0.0.5", None).endswith(
        " * *"
    )
