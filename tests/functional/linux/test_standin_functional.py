"""Stand-in instances built from libvirt XML, checked through /sys and iproute2."""

from __future__ import annotations

from netservice.linux.testing import ns_run

XML = """<domain type='kvm'><devices>
  <interface type='bridge'><mac address='fa:16:3e:aa:00:01'/><source bridge='br100'/>
    <model type='virtio'/></interface>
  <interface type='bridge'><mac address='fa:16:3e:aa:00:02'/><source bridge='br200'/>
    <model type='virtio'/><target dev='tap-second'/></interface>
</devices></domain>"""


def test_create_plugs_each_interface_and_destroy_removes_everything(netns, links_in, standins):
    host = netns("host")
    links = links_in(host)
    links.ensure_bridge("br100")
    links.ensure_bridge("br200")
    harness = standins(host)
    vm = harness.create(netns("vm"), XML)
    assert harness.create(vm.namespace, XML) == vm
    inside = ns_run(
        vm.namespace, "cat", "/sys/class/net/eth0/address", "/sys/class/net/eth1/address"
    )
    assert inside.stdout.split() == ["fa:16:3e:aa:00:01", "fa:16:3e:aa:00:02"]
    first = vm.vnics[0].host_ifname
    assert first == "tap3eaa0001"
    for port, bridge in ((first, "br100"), ("tap-second", "br200")):
        master = ns_run(host, "readlink", f"/sys/class/net/{port}/master").stdout.strip()
        assert master.endswith(bridge)
    harness.destroy(vm)
    harness.destroy(vm)
    assert vm.namespace not in ns_run(host, "ip", "netns", "list").stdout
    gone = ns_run(host, "test", "-e", f"/sys/class/net/{first}", check=False)
    assert gone.returncode != 0
