"""The demo's story (demo/story.py), with an assertion at every step.

Three plugins in one deployment, one API process: proj-a on flat_dhcp (one
instance with two NICs), proj-b on vlan (vxlan), proj-c on flat (injected
address); DHCP addresses, a floating IP from outside, the routing fault,
isolation between projects, and a clean-up that leaves nothing.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess

import pytest

from demo.story import Demo


@pytest.fixture
def story(need):
    need("dnsmasq", "udhcpc", "nft", "netservice-api", "netservice-compute")
    lines: list[str] = []
    demo = Demo(say=lines.append, prefix="nstdemo")
    yield demo
    demo.close()


def inside(address, cidr):
    return ipaddress.ip_address(address) in ipaddress.ip_network(cidr)


def namespaces() -> set[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True)
    return {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}


def test_the_demo_story(story):
    before = namespaces()
    sandbox = story.sandbox()
    assert os.path.exists(f"/run/netns/{sandbox['host']}")
    assert story.start_api().startswith("http://127.0.0.1:")

    assert story.networks() == {
        "flat_dhcp": ["a1", "a2"],
        "vlan": ["b"],
        "flat": ["c"],
        "l2": ["d"],
    }

    got = story.instances_with_dhcp()
    assert inside(got["a1"][0], "10.70.0.0/24")
    assert inside(got["a2"][0], "10.70.0.0/24") and inside(got["a2"][1], "10.71.0.0/24")
    assert inside(got["b1"][0], "10.80.0.0/24") and inside(got["b2"][0], "10.80.0.0/24")
    assert got["c1"] == ["10.90.0.2"]
    assert len({a for addresses in got.values() for a in addresses}) == 6
    # The two-NIC instance shows eth0 and eth1 in the guest.
    links = subprocess.run(
        ["ip", "-n", story.ns("a2"), "-br", "link"], capture_output=True, text=True, check=True
    ).stdout
    assert "eth0" in links and "eth1" in links

    # l2: no addresses given; the pair reaches each other by link-local IPv6.
    assert story.l2_instances() == {"d1 -> d2": True, "d2 -> d1": True}

    floating, reached, gone = story.floating_ip(got["a1"][0])
    assert inside(floating, "192.168.250.64/28") and reached and gone

    assert "'vlan', not 'flat'" in story.routing_fault()

    assert story.isolation(got) == {
        "a1 -> a2": True,
        "b1 -> b2": True,
        "a1 -> b1": False,
        "b1 -> a1": False,
        "c1 -> b1": False,
    }

    prefix = story.netns.tag
    story.close()
    left = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert prefix not in left
    assert namespaces() <= before  # nothing new: not even the API's netservice-host name
    assert not os.path.exists(story.workdir)
