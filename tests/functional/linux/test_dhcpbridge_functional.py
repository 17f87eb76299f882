"""dnsmasq → the real netservice-dhcpbridge → the owning plugin's lease callbacks."""

from __future__ import annotations

import json
import shutil

from netservice.linux import process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork, Dnsmasq
from netservice.linux.testing import interface_xml, poll
from netservice.testing.config import write_config

MAC = "fa:16:3e:00:00:07"
NETWORK = DhcpNetwork("net7", "br107", "10.7.0.0/24", "10.7.0.1", "10.7.0.2", gateway="10.7.0.1")


def events(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_leases_reach_the_plugin_through_netservice_dhcpbridge(
    need, netns, links_in, standins, state_dir
):
    need("dnsmasq", "udhcpc", "netservice-dhcpbridge")
    lease_file = state_dir / "leases.jsonl"
    config = write_config(
        str(state_dir / "cfg"),
        ["test"],
        default="test",
        extra={"test": {"lease_file": lease_file}},
    )
    host = netns("host")
    links_in(host).ensure_bridge("br107", gateway_address="10.7.0.1/24")
    driver = Dnsmasq(
        state_dir / "dnsmasq",
        process.Runner(host),
        dhcp_script=shutil.which("netservice-dhcpbridge"),
        service="test",
        config_files=[config],
    )
    driver.ensure(NETWORK, [DhcpHost(MAC, "vm7", "10.7.0.9")])
    try:
        harness = standins(host)
        vm = harness.create(netns("vm"), interface_xml(MAC, "br107"))
        assert harness.dhcp(vm).ip == "10.7.0.9"
        expected = {"event": "lease", "network_id": "net7", "mac": MAC, "ip": "10.7.0.9"}
        poll(lambda: any(expected.items() <= e.items() for e in events(lease_file)))
    finally:
        driver.stop("net7")
