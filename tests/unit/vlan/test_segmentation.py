"""802.1q or VXLAN under each network's bridge, on the in-memory kernel."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from netservice_vlan.segmentation import Segmentation

from netservice.core import exceptions
from netservice.linux import exceptions as linux_exceptions
from netservice.linux.links import Links
from netservice.linux.memory import MemoryBackend, World

VXLAN = {"segmentation": "vxlan", "vxlan_local": "192.0.2.1", "vxlan_underlay": "eth2"}


def config(**values):
    base = {
        "segmentation": "vlan", "network_mtu": None, "vlan_interface": None,
        "vxlan_local": None, "vxlan_underlay": None, "vxlan_group": None,
        "vxlan_remotes": [], "vxlan_port": 4789,
    }  # fmt: skip
    base.update(values)
    return SimpleNamespace(**base)


def links(kinds=None):
    backend = MemoryBackend("", World(kinds))
    for name in ("eth1", "eth2"):
        backend.add_link(name, "veth")
    return Links(backend)


def test_vlan_mode_bridges_an_8021q_device():
    seg = Segmentation.from_config(config(vlan_interface="eth1", network_mtu=1400))
    kernel = links()
    seg.ensure(kernel, vlan=100, bridge="br100", interface="eth9", gateway_address="10.0.0.1/24")
    seg.ensure(kernel, vlan=100, bridge="br100", interface="eth9", gateway_address="10.0.0.1/24")
    vlan, bridge = kernel.get("vlan100"), kernel.get("br100")
    assert (vlan.kind, vlan.data["IFLA_VLAN_ID"], vlan.link) == (
        "vlan",
        100,
        kernel.get("eth1").index,
    )
    assert vlan.master == bridge.index and (vlan.mtu, bridge.mtu) == (1400, 1400)
    assert [str(a) for a in kernel.backend.addresses("br100")] == ["10.0.0.1/24"]


def test_vlan_mode_uses_the_networks_interface_when_the_host_names_none():
    kernel = links()
    Segmentation.from_config(config()).ensure(kernel, vlan=7, bridge="br7", interface="eth2")
    assert kernel.get("vlan7").link == kernel.get("eth2").index


def test_a_kernel_without_8021q_is_a_clear_error():
    kernel = links(frozenset({"bridge", "veth", "vxlan"}))
    seg = Segmentation.from_config(config(vlan_interface="eth1"))
    with pytest.raises(linux_exceptions.NoVlanSupport, match=r"no 802\.1q support in this kernel"):
        seg.ensure(kernel, vlan=100, bridge="br100", interface=None)
    assert kernel.get("vlan100") is None and kernel.get("br100") is None


def test_vxlan_mode_bridges_a_vxlan_device_with_the_vlan_id_as_vni():
    seg = Segmentation.from_config(config(**VXLAN, vxlan_remotes=["192.0.2.2"]))
    kernel = links(frozenset({"bridge", "veth", "vxlan"}))
    seg.ensure(kernel, vlan=5_000_000, bridge="br5000000", interface="eth1")
    device = kernel.get("vxlan5000000")
    assert device.data["IFLA_VXLAN_ID"] == 5_000_000
    assert (device.data["IFLA_VXLAN_LOCAL"], device.data["IFLA_VXLAN_GROUP"]) == (
        "192.0.2.1", "192.0.2.2",
    )  # fmt: skip
    assert device.data["IFLA_VXLAN_LINK"] == kernel.get("eth2").index  # the host's underlay
    assert device.master == kernel.get("br5000000").index
    assert kernel.backend.addresses("br5000000") == []  # a compute host only switches


def test_vxlan_group():
    seg = Segmentation.from_config(config(**VXLAN, vxlan_group="239.1.1.1", vxlan_port=8472))
    kernel = links()
    seg.ensure(kernel, vlan=100, bridge="br100", interface=None)
    assert kernel.get("vxlan100").data["IFLA_VXLAN_GROUP"] == "239.1.1.1"
    assert kernel.get("vxlan100").data["IFLA_VXLAN_PORT"] == 8472


@pytest.mark.parametrize(
    ("values", "option"),
    [
        ({"segmentation": "vxlan", "vxlan_group": "239.1.1.1"}, "vxlan_local"),
        ({**VXLAN}, "vxlan_group"),
        ({**VXLAN, "vxlan_group": "239.1.1.1", "vxlan_remotes": ["192.0.2.2"]}, "vxlan_group"),
        ({**VXLAN, "vxlan_group": "192.0.2.7"}, "vxlan_group"),
        ({**VXLAN, "vxlan_remotes": ["192.0.2.2", "192.0.2.3"]}, "vxlan_remotes"),
        ({**VXLAN, "vxlan_local": "nowhere", "vxlan_group": "239.1.1.1"}, "vxlan_local"),
    ],
)
def test_bad_vxlan_settings_name_the_option(values, option):
    with pytest.raises(exceptions.ConfigurationError, match=rf"\[vlan\] {option}"):
        Segmentation.from_config(config(**values))


def test_no_lower_device_or_no_vlan_id():
    seg = Segmentation.from_config(config())
    with pytest.raises(exceptions.ConfigurationError, match="vlan_interface"):
        seg.ensure(links(), vlan=100, bridge="br100", interface=None)
    with pytest.raises(exceptions.ConfigurationError, match="no vlan id"):
        seg.ensure(links(), vlan=None, bridge="br100", interface="eth1")
