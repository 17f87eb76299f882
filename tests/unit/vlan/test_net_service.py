"""VLAN's reconciler with recording drivers: the VLAN or VXLAN bridge of each
network, isolation, the VPN forward, and what a crash leaves behind."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from netservice_vlan.net_service import vlan_net_service

from netservice.linux import exceptions as linux_exceptions
from tests.unit.vlan import fakes
from tests.unit.vlan.conftest import make_networks

VPN_IP = "192.0.2.9"


@pytest.fixture
def vlan_extra():
    return {"vlan": {"vlan_interface": "eth1", "vpn_ip": VPN_IP}}


@pytest.fixture
def plane():
    return fakes.dataplane()


@pytest.fixture
def service(vlan, plane):
    return vlan_net_service(vlan, dataplane=lambda: plane)


def test_a_full_pass_builds_each_networks_bridge_dhcp_isolation_and_vpn(vlan, plane, service):
    nets = make_networks(vlan, 2)
    service.reconcile()
    links = plane.links
    for net in nets:
        bridge = links.get(net.bridge)
        assert links.get(f"vlan{net.vlan}").master == bridge.index
        assert [str(a) for a in links.backend.addresses(net.bridge)] == [f"{net.gateway}/24"]
        assert f"vlan-{net.id}" in plane.dhcp.running
    assert plane.firewall.isolated == {"br200", "br201"}
    assert plane.firewall.vpns == {(VPN_IP, 1000): "10.0.0.2", (VPN_IP, 1001): "10.0.1.2"}
    ops = list(plane.firewall.ops)
    service.reconcile()
    assert plane.firewall.ops == ops  # a second pass changes nothing


def test_vpn_change_moves_the_forward(vlan, plane, service):
    (net,) = make_networks(vlan, 1)
    vlan.networks.network_for_project("p1")
    service.reconcile()
    vlan.vpns.change("p1", "198.51.100.1", 1194)
    service.reconcile_network(str(net.id))
    assert plane.firewall.vpns == {("198.51.100.1", 1194): "10.0.0.2"}
    assert ("unvpn", VPN_IP, 1000) in plane.firewall.ops


def test_a_deleted_network_loses_its_forward_and_isolation(vlan, plane, service):
    (net,) = make_networks(vlan, 1)
    service.reconcile()
    vlan.networks.delete(net.uuid)
    service.reconcile_network(str(net.id))
    assert plane.firewall.vpns == {} and plane.firewall.isolated == set()
    assert plane.dhcp.running == {}


def test_what_a_crashed_predecessor_left_is_swept(vlan, plane, service):
    make_networks(vlan, 1)
    plane.firewall.ensure_vpn(VPN_IP, 4000, "10.9.0.2")
    plane.firewall.isolate_bridge("br999")
    service.reconcile()
    assert plane.firewall.vpns == {(VPN_IP, 1000): "10.0.0.2"}
    assert plane.firewall.isolated == {"br200"}


@pytest.mark.parametrize("vlan_extra", [{"vlan": {"vlan_interface": "eth1"}}])
def test_no_vpn_forward_without_a_public_address(vlan, plane, service):
    make_networks(vlan, 1)
    service.reconcile()
    assert plane.firewall.vpns == {} and plane.firewall.isolated == {"br200"}


def test_two_networks_on_one_public_port_forward_only_the_first(vlan, plane, service, caplog):
    nets = make_networks(vlan, 2)
    net = vlan.schema.network
    with vlan.context.database.writer() as session:
        session.execute(sa.update(net).where(net.id == nets[1].id).values(vpn_public_port=1000))
    with caplog.at_level(logging.ERROR):
        service.reconcile()
        service.reconcile()
    assert plane.firewall.vpns == {(VPN_IP, 1000): "10.0.0.2"}
    (error,) = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert f"VPN {VPN_IP}:1000 is already forwarded to network vlan-{nets[0].id}" in error
    status = vlan.networks.statuses([vlan.networks.get(nets[1].uuid)])[nets[1].id]
    assert status.status == "ERROR" and "already forwarded" in status.error
    assert f"vlan-{nets[1].id}" in plane.dhcp.running  # the network itself is served


def test_a_kernel_without_8021q_fails_the_pass_with_the_clear_error(vlan):
    make_networks(vlan, 1)
    plane = fakes.dataplane(kinds=frozenset({"bridge", "veth", "vxlan"}))
    service = vlan_net_service(vlan, dataplane=lambda: plane)
    with pytest.raises(linux_exceptions.NoVlanSupport, match=r"no 802\.1q support in this kernel"):
        service.reconcile()
    assert plane.links.get("br200") is None and plane.dhcp.running == {}


@pytest.mark.parametrize("vlan_extra", [{"vlan": {}}])  # the networks name their interface
def test_a_network_on_a_missing_interface_fails_alone_and_is_repaired(vlan, caplog):
    bad, good = make_networks(vlan, 2, bridge_interface="eth9")
    vlan.networks.modify(good.uuid, bridge_interface="eth1")
    plane = fakes.dataplane()
    service = vlan_net_service(vlan, dataplane=lambda: plane)
    with caplog.at_level(logging.ERROR):
        service.reconcile()
        service.reconcile()
    assert f"vlan-{good.id}" in plane.dhcp.running and plane.links.get("br201") is not None
    assert f"vlan-{bad.id}" not in plane.dhcp.running
    (error,) = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert f"vlan network {bad.uuid} (net" in error and "eth9 not found" in error
    shown = vlan.networks.statuses([vlan.networks.get(bad.uuid), vlan.networks.get(good.uuid)])
    assert shown[bad.id].status == "ERROR" and "eth9 not found" in shown[bad.id].error
    assert shown[good.id].status == "ACTIVE"
    vlan.networks.modify(bad.uuid, bridge_interface="eth1")
    assert vlan.networks.statuses([vlan.networks.get(bad.uuid)])[bad.id].status == "BUILD"
    service.reconcile_network(str(bad.id))
    assert f"vlan-{bad.id}" in plane.dhcp.running
    assert vlan.networks.statuses([vlan.networks.get(bad.uuid)])[bad.id].status == "ACTIVE"


@pytest.mark.parametrize(
    "vlan_extra",
    [{"vlan": {"segmentation": "vxlan", "vxlan_underlay": "eth1", "vxlan_local": "192.0.2.1",
               "vxlan_group": "239.1.1.1"}}],
)  # fmt: skip
def test_vxlan_mode_on_the_network_host(vlan):
    make_networks(vlan, 1, vlan_start=70000)
    plane = fakes.dataplane(kinds=frozenset({"bridge", "veth", "vxlan"}))
    vlan_net_service(vlan, dataplane=lambda: plane).reconcile()
    device = plane.links.get("vxlan70000")
    assert device.master == plane.links.get("br70000").index
    assert [str(a) for a in plane.links.backend.addresses("br70000")] == ["10.0.0.1/24"]
