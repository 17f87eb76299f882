"""The net-service on an in-memory kernel."""

from __future__ import annotations


def test_the_net_service_wires_each_network_and_removes_deleted_ones(plugin, kernel):
    vxlan = plugin.networks.create(label="x", kind="vxlan", segment=5000, interface="eth1")
    plugin.networks.create(label="b", bridge="brb")
    service = plugin.get_net_service()
    service.reconcile()
    service.reconcile()
    assert kernel.get_link("vxlan5000").master == kernel.get_link("l2x5000").index
    assert kernel.get_link("brb").kind == "bridge"
    plugin.networks.delete(vxlan.id)
    service.reconcile()
    assert kernel.get_link("vxlan5000") is None and kernel.get_link("l2x5000") is None
    assert kernel.get_link("brb") is not None
