"""VLAN's networks: nova-manage's VLAN create, networks owned by projects, the
atomic claim of a free network, association, and every refused request
leaving nothing written."""

from __future__ import annotations

import threading

import pytest
from netservice_vlan.exceptions import NoMoreNetworks

from netservice.core import exceptions
from netservice.ipam.exceptions import DuplicateVlan, NetworkInUse, NetworkRangeTooSmall
from netservice.ipam.planner import NetworkRequest
from tests.unit.vlan.conftest import counts, drain, make_networks, snapshot


def _create(plugin, **options):
    options.setdefault("label", "net")
    return plugin.networks.create(NetworkRequest(**options))


def test_three_networks_of_16_from_the_start_of_the_range(vlan):
    rows, warnings = _create(vlan, label="public", cidr="10.0.0.0/8", num_networks="3",
                             network_size="16")  # fmt: skip
    assert warnings == []
    assert [(r.cidr, r.vlan, r.bridge, r.vpn_public_port) for r in rows] == [
        ("10.0.0.0/28", 200, "br200", 1000),
        ("10.0.0.16/28", 201, "br201", 1001),
        ("10.0.0.32/28", 202, "br202", 1002),
    ]
    first = rows[0]
    assert (first.gateway, first.vpn_private_address, first.dhcp_start) == (
        "10.0.0.1", "10.0.0.2", "10.0.0.3",
    )  # fmt: skip
    assert (first.bridge_interface, first.label, first.project_id) == ("eth1", "public_0", None)
    # The VPN address is reserved: no instance gets it by accident.
    assert vlan.networks.get_fixed_ip_by_address("10.0.0.2").reserved


def test_the_next_free_vlan_and_vpn_port_are_taken(vlan):
    _create(vlan, cidr="10.1.0.0/24", vlan="201")
    rows, _ = _create(vlan, cidr="10.0.0.0/16", num_networks=2, network_size=256)
    # 201 and port 1000 went to the first network.
    assert [(r.vlan, r.vpn_public_port) for r in rows] == [(200, 1001), (202, 1002)]
    rows, _ = _create(vlan, cidr="10.2.0.0/24", vlan_start=200, vpn_start=1000)
    assert (rows[0].vlan, rows[0].vpn_public_port) == (203, 1003)


@pytest.mark.parametrize(
    "vlan_extra",
    [{"vlan": {"vlan_interface": "eth1", "vlan_start": 300, "vpn_start": 2000,
               "num_networks": 2, "network_size": 64, "cnt_vpn_clients": 2}}],
)  # fmt: skip
def test_create_defaults_come_from_the_options(vlan):
    rows, _ = _create(vlan, cidr="10.0.0.0/24")
    assert [(r.cidr, r.vlan, r.vpn_public_port) for r in rows] == [
        ("10.0.0.0/26", 300, 2000),
        ("10.0.0.64/26", 301, 2001),
    ]
    # cnt_vpn_clients: two addresses below the broadcast are reserved.
    assert vlan.networks.get_fixed_ip_by_address("10.0.0.61").reserved


@pytest.mark.parametrize(
    "vlan_extra",
    [{"vlan": {"segmentation": "vxlan", "vxlan_underlay": "eth2", "vxlan_local": "192.0.2.1",
               "vxlan_group": "239.1.1.1"}}],
)  # fmt: skip
def test_vxlan_mode_lifts_the_4094_limit(vlan):
    rows, _ = _create(vlan, cidr="10.0.0.0/16", num_networks=2, network_size=256,
                      vlan_start=16_000_000)  # fmt: skip
    assert [(r.vlan, r.bridge, r.bridge_interface) for r in rows] == [
        (16_000_000, "br16000000", "eth2"),
        (16_000_001, "br16000001", "eth2"),
    ]
    with pytest.raises(exceptions.InvalidInput, match="16777215"):
        _create(vlan, cidr="10.1.0.0/24", vlan=16_777_216)


# --- Bad input: each its own fault, nothing written ----------------------------------


def test_bad_vlan_out_of_range(vlan):
    before = counts(vlan)
    with pytest.raises(exceptions.InvalidInput, match=r"'vlan'.*1\.\.4094"):
        _create(vlan, cidr="10.0.0.0/24", vlan=4095)
    with pytest.raises(exceptions.InvalidInput, match="'vlan'"):
        _create(vlan, cidr="10.0.0.0/24", vlan=0)
    assert counts(vlan) == before


def test_bad_vlan_in_use(vlan):
    _create(vlan, cidr="10.0.0.0/24", vlan=7)
    before = counts(vlan)
    with pytest.raises(DuplicateVlan, match="VLAN 7 is already used"):
        _create(vlan, cidr="10.1.0.0/24", vlan=7)
    assert counts(vlan) == before


def test_bad_num_networks_plus_vlan_start_over_4094(vlan):
    before = counts(vlan)
    with pytest.raises(exceptions.InvalidInput, match="exceeds 4094"):
        _create(vlan, cidr="10.0.0.0/8", num_networks=10, network_size=16, vlan_start=4090)
    assert counts(vlan) == before


def test_bad_range_too_small(vlan):
    before = counts(vlan)
    with pytest.raises(NetworkRangeTooSmall, match="not big enough"):
        _create(vlan, cidr="10.0.0.0/24", num_networks=3, network_size=128)
    assert counts(vlan) == before


def test_bad_delete_of_a_network_associated_with_a_project(vlan):
    (row,) = make_networks(vlan, 1)
    vlan.networks.associate(row.uuid, project="p1")
    before, state = counts(vlan), snapshot(vlan)
    with pytest.raises(NetworkInUse, match="disassociate first"):
        vlan.networks.delete(row.uuid)
    assert (counts(vlan), snapshot(vlan)) == (before, state)
    vlan.networks.disassociate(row.uuid)
    vlan.networks.delete(row.uuid)
    assert vlan.networks.list() == []


def test_bad_disassociate_combined_with_a_value(vlan):
    (row,) = make_networks(vlan, 1)
    vlan.networks.associate(row.uuid, project="p1", host="net-1")
    state = snapshot(vlan)
    with pytest.raises(exceptions.InvalidInput, match="'project'"):
        vlan.networks.modify(row.uuid, project="p2", disassociate_project=True)
    with pytest.raises(exceptions.InvalidInput, match="'host'"):
        vlan.networks.modify(row.uuid, host="net-2", disassociate_host=True)
    assert snapshot(vlan) == state


def test_bad_no_free_network_left(vlan, changes):
    make_networks(vlan, 1)
    vlan.networks.network_for_project("p1")
    drain(changes)
    before, state = counts(vlan), snapshot(vlan)
    with pytest.raises(NoMoreNetworks, match="project p2") as caught:
        vlan.networks.network_for_project("p2")
    assert isinstance(caught.value, exceptions.Conflict)
    assert (counts(vlan), snapshot(vlan), drain(changes)) == (before, state, [])


# --- networks of a project ------------------------------------------------------------


def test_a_project_without_a_network_is_given_a_free_one_once(vlan, changes):
    nets = make_networks(vlan, 3)
    drain(changes)
    mine = vlan.networks.network_for_project("p1")
    assert (mine.id, mine.project_id) == (nets[0].id, "p1")
    assert drain(changes) == [str(nets[0].id)]
    assert vlan.networks.network_for_project("p1").id == nets[0].id
    assert drain(changes) == []  # nothing claimed the second time
    assert vlan.networks.network_for_project("p2").id == nets[1].id


def test_concurrent_first_boots_claim_one_network_per_project(vlan):
    make_networks(vlan, 4)
    start = threading.Barrier(8)
    got: dict[int, int] = {}

    def claim(index):
        start.wait()
        got[index] = vlan.networks.network_for_project(f"p{index % 4}").id

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_project = {f"p{i}": {got[i], got[i + 4]} for i in range(4)}
    assert all(len(ids) == 1 for ids in by_project.values())
    assert len(set(got.values())) == 4
    owners = {row.project_id for row in vlan.networks.list()}
    assert owners == {"p0", "p1", "p2", "p3"}


def test_add_network_to_project(vlan, changes):
    nets = make_networks(vlan, 3)
    assert vlan.networks.add_network_to_project("p1").id == nets[0].id
    assert vlan.networks.add_network_to_project("p1").id == nets[1].id  # another one
    named = vlan.networks.add_network_to_project("p2", nets[2].uuid)
    assert (named.id, named.project_id) == (nets[2].id, "p2")
    assert vlan.networks.add_network_to_project("p2", nets[2].uuid).project_id == "p2"
    state = snapshot(vlan)
    with pytest.raises(exceptions.Conflict, match="belongs to project p1"):
        vlan.networks.add_network_to_project("p2", nets[0].uuid)
    with pytest.raises(NoMoreNetworks):
        vlan.networks.add_network_to_project("p3")
    with pytest.raises(exceptions.InvalidInput, match="'project_id'"):
        vlan.networks.add_network_to_project("bad project")
    assert snapshot(vlan) == state
    assert [n.id for n in vlan.networks.project_networks("p1")] == [nets[0].id, nets[1].id]


def test_associate_and_disassociate(vlan, changes):
    (row,) = make_networks(vlan, 1)
    drain(changes)
    vlan.networks.associate(row.uuid, project="p1", host="net-1")
    assert drain(changes) == [str(row.id)]
    got = vlan.networks.get(row.uuid)
    assert (got.project_id, got.host) == ("p1", "net-1")
    vlan.networks.disassociate(row.uuid, project=False)
    assert vlan.networks.get(row.uuid).project_id == "p1"
    assert vlan.networks.get(row.uuid).host is None
    vlan.networks.disassociate(row.uuid)
    vlan.networks.disassociate(row.uuid)  # idempotent
    assert vlan.networks.get(row.uuid).project_id is None
