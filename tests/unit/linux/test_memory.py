"""The in-memory kernel behaves like the real one where Links relies on it."""

from __future__ import annotations

import io

import pytest

from netservice.linux.linktypes import Address, NetlinkFailure
from netservice.linux.memory import DryRunBackend, MemoryBackend, World


def test_deleting_one_veth_end_deletes_both():
    world = World()
    host = MemoryBackend("", world)
    host.add_namespace("vm")
    host.add_link("tap1", "veth", peer={"ifname": "eth0", "net_ns_fd": "vm"})
    assert set(world.namespaces["vm"]) == {"lo", "eth0"}
    host.for_namespace("vm").del_link("eth0")
    assert host.get_link("tap1") is None


def test_errors_carry_the_kernels_errno():
    backend = MemoryBackend("", World(kernel_kinds=frozenset({"bridge"})))
    with pytest.raises(NetlinkFailure) as info:
        backend.add_link("vlan5", "vlan")
    assert info.value.errno == 95
    backend.add_link("br0", "bridge")
    backend.add_address("br0", Address("10.0.0.1", 24))
    with pytest.raises(NetlinkFailure) as info:
        backend.add_address("br0", Address("10.0.0.1", 24))
    assert info.value.errno == 17


def test_dry_run_prints_only_real_changes():
    out = io.StringIO()
    backend = DryRunBackend("ns", World(), out=out)
    backend.add_link("br0", "bridge")
    backend.add_address("br0", Address("10.0.0.1", 24))
    with pytest.raises(NetlinkFailure):
        backend.add_address("br0", Address("10.0.0.1", 24))
    assert out.getvalue().splitlines() == [
        "netlink[ns]: link add ifname=br0 kind=bridge",
        "netlink[ns]: addr add dev=br0 address=10.0.0.1/24",
    ]
