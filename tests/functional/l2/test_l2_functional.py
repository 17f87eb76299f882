"""The l2 plugin on a real kernel: stand-in instances on one segment reach each other.

The net-service and the agent wire bridges in a sandbox "host" namespace;
stand-in instances plug in from the agent's interface XML and talk by
link-local IPv6, which needs no address from anyone.  An instance on
another l2 network is not reached.
"""

from __future__ import annotations

import netaddr

from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.linux.testing import pings, reaches
from netservice.testing.config import make_conf, write_config

PROJECT = RequestContext(user_id="u", project_id="p1", roles=("member",))


def link_local(mac: str) -> str:
    return f"{netaddr.EUI(mac).ipv6_link_local()}%eth0"


def test_instances_on_one_l2_network_reach_each_other_and_no_other(tmp_path, netns, standins):
    host = netns("host")
    path = write_config(str(tmp_path), ("l2",), default="l2", extra={"linux": {"namespace": host}})
    manager = bootstrap.open_services(make_conf(path))
    try:
        bootstrap.sync_schema(manager)
        plugin = manager.get("l2")
        red = plugin.networks.create(label="red", bridge="l2red")
        blue = plugin.networks.create(label="blue", bridge="l2blue")
        plugin.get_net_service().reconcile()
        agent = plugin.get_net_agent()
        harness = standins(host)
        macs = {}
        for name, network in (("r1", red), ("r2", red), ("b1", blue)):
            vnic = plugin.vnics.create(PROJECT, network.id)
            agent.bind_vnics_to_ports(PROJECT, [vnic.id])
            agent.setup_compute_network(PROJECT, [vnic.id])
            harness.create(netns(name), agent.get_interface_xml(PROJECT, vnic.id))
            macs[name] = vnic.mac
        r1 = f"{netns.tag}-r1"
        assert reaches(r1, link_local(macs["r2"]), timeout=15)
        assert reaches(f"{netns.tag}-r2", link_local(macs["r1"]), timeout=15)
        assert reaches(f"{netns.tag}-b1", "ff02::1%eth0", timeout=15)  # b1 itself is up
        assert not pings(r1, link_local(macs["b1"]))
    finally:
        manager.database.dispose()
