from __future__ import annotations

import io

import pytest

from netservice.core.exceptions import InvalidInput
from netservice.linux import process, standin
from netservice.linux.links import Links
from netservice.linux.memory import MemoryBackend, World

XML = (
    "<interface type='bridge'><mac address='fa:16:3e:00:00:05'/><source bridge='br100'/>"
    "<model type='virtio'/><filterref filter='nova-base'/></interface>"
)


def test_parse_one_interface():
    [vnic] = standin.parse_interfaces(XML)
    assert vnic == standin.Vnic("fa:16:3e:00:00:05", "br100", "tap3e000005", "virtio")


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<interface type='network'/>", "only <interface type='bridge'>"),
        ("<interface type='bridge'><source bridge='b'/></interface>", "lacks <mac"),
        (
            "<interface type='bridge'><mac address='fa:16:3e:00:00:05'/></interface>",
            "lacks <source",
        ),
        ("<interface", "not well-formed"),
        ("<domain/>", "no <interface>"),
    ],
)
def test_bad_xml(xml, reason):
    with pytest.raises(InvalidInput, match=reason):
        standin.parse_interfaces(xml)


def test_entities_are_refused():
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><interface type="bridge">&a;</interface>'
    with pytest.raises(Exception, match=r"(?i)entit"):
        standin.parse_interfaces(bomb)


def test_udhcpc_report_is_parsed():
    out = (
        "noise\n"
        "netservice-udhcpc event=bound ip=10.0.0.5 mask=24 subnet=255.255.255.0 router=10.0.0.1\n"
    )
    assert standin._parse_udhcpc(out) == standin.DhcpLease("10.0.0.5", 24, "10.0.0.1")
    old = "netservice-udhcpc event=bound ip=10.0.0.5 mask= subnet=255.255.0.0 router=\n"
    assert standin._parse_udhcpc(old) == standin.DhcpLease("10.0.0.5", 16, None)
    assert standin._parse_udhcpc("netservice-udhcpc event=leasefail ip=\n") is None


def test_create_and_destroy_with_the_memory_kernel():
    world = World()
    host = MemoryBackend("", world)
    links = Links(host, lambda ns: MemoryBackend(ns, world))
    links.ensure_bridge("br100")
    harness = standin.StandIns(
        links,
        lambda ns: Links(MemoryBackend(ns, world)),
        lambda ns: process.DryRunRunner(ns, out=io.StringIO()),
    )
    vm = harness.create("vm1", XML)
    eth0 = world.namespaces["vm1"]["eth0"]
    assert eth0.mac == "fa:16:3e:00:00:05" and eth0.up
    assert host.get_link("tap3e000005").master == host.get_link("br100").index
    harness.destroy(vm)
    assert "vm1" not in world.namespaces and host.get_link("tap3e000005") is None
