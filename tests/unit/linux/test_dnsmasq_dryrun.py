from __future__ import annotations

import io

from netservice.linux import process
from netservice.linux.dnsmasq import DhcpHost, DhcpNetwork
from netservice.linux.dnsmasq_dryrun import DryRunDnsmasq

NETWORK = DhcpNetwork("7", "br100", "10.0.0.0/24", "10.0.0.1", "10.0.0.3", gateway="10.0.0.1")
HOST = DhcpHost("fa:16:3e:00:00:05", "vm1", "10.0.0.5")


def make(out):
    runner = process.DryRunRunner("sandbox", out=out)
    return DryRunDnsmasq("/state", runner, dhcp_script="/bin/bridge", service="vlan", out=out)


def test_prints_what_it_would_do_once():
    out = io.StringIO()
    driver = make(out)
    pid = driver.ensure(NETWORK, [HOST])
    lines = out.getvalue().splitlines()
    assert lines[0] == "dnsmasq: write /state/7/opts: 3,10.0.0.1"
    assert lines[1] == (
        "dnsmasq: write /state/7/hosts.d/fa:16:3e:00:00:05: "
        "fa:16:3e:00:00:05,vm1.novalocal,10.0.0.5"
    )
    assert lines[2].startswith(
        "dnsmasq: start NETSERVICE_CONFIG_FILES='' "
        "NETSERVICE_HOST_NETNS=/run/netns/netservice-host "
        "NETSERVICE_NETWORK_ID=7 NETSERVICE_SERVICE=vlan "
        "ip netns exec sandbox dnsmasq --strict-order"
    )
    out.seek(0)
    out.truncate()
    assert driver.ensure(NETWORK, [HOST]) == pid
    assert out.getvalue() == ""


def test_remove_host_and_stop():
    out = io.StringIO()
    driver = make(out)
    driver.ensure(NETWORK, [HOST])
    out.seek(0)
    out.truncate()
    driver.remove_host("7", HOST.mac)
    driver.stop("7")
    driver.stop("7")
    assert out.getvalue().splitlines() == [
        "dnsmasq: write /state/7/hosts.d/fa:16:3e:00:00:05: fa:16:3e:00:00:05,ignore",
        "dnsmasq: kill -SIGTERM <dnsmasq pid>",
        "dnsmasq: remove /state/7",
    ]
    assert driver.pid("7") is None
