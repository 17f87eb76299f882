"""dnsmasq → the real netservice-dhcpbridge → the owning plugin's lease callbacks."""

from __future__ import annotations

import json

from netservice.core.programs import script
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
        dhcp_script=script("netservice-dhcpbridge"),
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


def test_the_script_reaches_a_database_on_the_hosts_loopback(need, netns, state_dir):
    """dnsmasq runs netservice-dhcpbridge inside the namespace; it must get out."""
    import os
    import subprocess

    from netservice.core import bootstrap
    from netservice.linux.netns import HOST_NETNS_ENV, name_this_namespace
    from netservice.testing import databases
    from netservice.testing.config import make_conf
    from tests.conftest import skip_or_fail

    need("netservice-dhcpbridge")
    server = databases.server_url("postgresql")
    reason = databases.unreachable_reason(server)
    if reason:
        skip_or_fail(f"postgresql: {reason}")
    url, name = databases.fresh_schema(server)
    try:
        config = write_config(str(state_dir / "cfg"), ["flat_dhcp"], default="flat_dhcp",
                              connection=url)  # fmt: skip
        manager = bootstrap.open_services(make_conf(config))
        bootstrap.sync_schema(manager)
        manager.database.dispose()
        host = netns("host")
        env = dict(os.environ, NETSERVICE_SERVICE="flat_dhcp", NETSERVICE_NETWORK_ID="1",
                   NETSERVICE_CONFIG_FILES=config)  # fmt: skip
        env.pop(HOST_NETNS_ENV, None)
        bridge = script("netservice-dhcpbridge")
        argv = ["ip", "netns", "exec", host, bridge, "add", MAC, "10.7.0.9"]
        # Without the hint, the database on 127.0.0.1 is out of reach from inside.
        trapped = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert "Connection refused" in trapped.stderr
        env[HOST_NETNS_ENV] = name_this_namespace()
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0
        # The lease reached the database: it answers that no such address exists.
        assert "no such fixed IP in network 1" in done.stderr, done.stderr
    finally:
        databases.drop_schema(server, name)
