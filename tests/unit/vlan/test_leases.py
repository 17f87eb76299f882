"""dnsmasq's callbacks on VLAN's tables: lease, release, and the init listing."""

from __future__ import annotations

from tests.unit.vlan.conftest import P1, make_networks


def test_lease_release_and_init(vlan):
    (net,) = make_networks(vlan, 1)
    card = vlan.vnics.create(P1, instance_id="vm-1")
    vlan.vnics.bind(P1, card.id)
    handler = vlan.get_dhcp_lease_handler()
    handler.lease(str(net.id), card.mac, "10.0.0.3", "vm-1")
    (lease,) = handler.leases(str(net.id))
    assert (lease.mac, lease.ip, lease.hostname) == (card.mac, "10.0.0.3", "vm-1")
    vlan.vnics.unbind(P1, card.id)
    handler.release(str(net.id), card.mac, "10.0.0.3")
    assert handler.leases(str(net.id)) == []
    assert vlan.vnics.bind(P1, vlan.vnics.create(P1).id) == "10.0.0.3"
