"""The deployment-wide registry on SQLite, PostgreSQL and MariaDB (issue 11).

flat, flat_dhcp, vlan and the two test plugins are loaded side by side on one
database; every collision between them is refused with a 409 that names both
owners, exactly one of racing writers wins, and deletes free their claims.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from netservice.cmd import manage
from netservice.core import bootstrap, exceptions
from netservice.core.context import RequestContext
from netservice.core.db.models import RegistryAddress, RegistryL2
from netservice.core.projects import set_network_service
from netservice.ipam.planner import NetworkRequest
from netservice.testing.config import make_conf, write_config

SERVICES = ("flat", "flat_dhcp", "vlan", "test", "test_other")


@pytest.fixture
def config_path(tmp_path, db_url):
    return write_config(
        str(tmp_path / "cfg"),
        SERVICES,
        default="flat_dhcp",
        connection=db_url,
        extra={
            "vlan": {"vlan_interface": "eth1", "vpn_ip": "198.51.100.7"},
            "linux": {"dry_run": True},
        },
    )


@pytest.fixture
def deployment(config_path):
    manager = bootstrap.open_services(make_conf(config_path))
    bootstrap.sync_schema(manager)
    yield manager
    manager.database.dispose()


def create(manager, service, cidr, **options):
    request = NetworkRequest(label=f"{service}-net", cidr=cidr, **options)
    rows, _warnings = manager.get(service).networks.create(request)
    return rows


def refused(call, *names):
    """Run ``call``; it must answer ClaimConflict naming each of ``names``."""
    with pytest.raises(exceptions.ClaimConflict) as caught:
        call()
    for name in names:
        assert name in str(caught.value), str(caught.value)
    return str(caught.value)


def count(manager, table):
    with manager.database.transaction() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(table))


def test_the_same_fixed_range_in_two_plugins(deployment):
    create(deployment, "flat", "10.147.0.0/24", bridge="brflat")
    message = refused(lambda: create(deployment, "flat_dhcp", "10.147.0.0/24"), "(flat_dhcp)")
    assert "overlaps 10.147.0.0/24 of network 1 (flat)" in message
    assert deployment.get("flat_dhcp").networks.list() == []


def test_a_range_inside_another_plugins_range(deployment):
    create(deployment, "flat_dhcp", "10.0.0.0/16", network_size=65536)
    message = refused(lambda: create(deployment, "flat", "10.0.5.0/24", bridge="brflat"))
    assert message.startswith(
        "10.0.5.0/24 of network 1 (flat) overlaps 10.0.0.0/16 of network 1 (flat_dhcp)"
    )


def test_ipv6_ranges_collide_too(deployment):
    create(deployment, "flat", "10.1.0.0/24", cidr_v6="fd00:1::/64", bridge="brflat")
    refused(
        lambda: create(deployment, "flat_dhcp", "10.2.0.0/24", cidr_v6="fd00:1::/64"),
        "fd00:1::/64 of network 1 (flat_dhcp)",
        "(flat)",
    )


def test_a_floating_range_overlapping_a_fixed_range(deployment):
    create(deployment, "flat", "10.147.0.0/24", bridge="brflat")
    floating = deployment.get("flat_dhcp").floating
    refused(lambda: floating.create_range("10.147.0.0/28"), "(flat_dhcp)", "network 1 (flat)")
    assert floating.list() == []


def test_one_floating_address_in_two_plugins(deployment):
    deployment.get("flat_dhcp").floating.create_range("203.0.113.2")
    message = refused(lambda: deployment.get("vlan").floating.create_range("203.0.113.0/29"))
    assert "floating IPs (vlan) overlaps 203.0.113.2 of floating IPs (flat_dhcp)" in message
    assert deployment.get("vlan").floating.list() == []


def served_by_vlan(manager, *projects):
    for project in projects:
        set_network_service(manager, RequestContext.admin(), project, "vlan")


def test_a_vpn_endpoint_equal_to_a_floating_address(deployment):
    served_by_vlan(deployment, "p1")
    vlan = deployment.get("vlan")
    create(deployment, "vlan", "10.10.0.0/16", num_networks=1, network_size=256)
    vlan.networks.network_for_project("p1")
    deployment.get("flat_dhcp").floating.create_range("203.0.113.2")
    refused(
        lambda: vlan.vpns.change("p1", "203.0.113.2", 1194),
        "VPN 203.0.113.2 udp/1194",
        "(vlan)",
        "203.0.113.2 of floating IPs (flat_dhcp)",
    )
    assert vlan.vpns.get("p1").public_address == "198.51.100.7"
    # The configured vpn_ip is claimed too: no floating IP may take it.
    refused(
        lambda: deployment.get("flat_dhcp").floating.create_range("198.51.100.7"),
        "VPN 198.51.100.7 udp/1000 of network 1 (vlan)",
    )


def test_two_vpns_share_an_address_on_different_ports_only(deployment):
    served_by_vlan(deployment, "p1", "p2")
    vlan = deployment.get("vlan")
    create(deployment, "vlan", "10.10.0.0/16", num_networks=2, network_size=256)
    vlan.networks.network_for_project("p1")
    vlan.networks.network_for_project("p2")
    vlan.vpns.change("p1", "203.0.113.50", 2000)
    vlan.vpns.change("p2", "203.0.113.50", 2001)
    with pytest.raises(exceptions.Conflict):
        vlan.vpns.change("p2", "203.0.113.50", 2000)


def test_the_same_bridge_asked_by_vlan_and_flat_dhcp(deployment):
    create(deployment, "flat_dhcp", "10.20.0.0/24", bridge="br100")
    refused(
        lambda: create(deployment, "vlan", "10.30.0.0/24", vlan=200, bridge="br100"),
        "bridge br100 of network 1 (vlan)",
        "bridge br100 of network 1 (flat_dhcp)",
    )
    assert deployment.get("vlan").networks.list() == []


def test_a_plugins_own_networks_share_its_bridge(deployment):
    create(deployment, "flat_dhcp", "10.20.0.0/24", bridge="br100")
    create(deployment, "flat_dhcp", "10.21.0.0/24", bridge="br100")
    assert len(deployment.get("flat_dhcp").networks.list()) == 2


def test_the_same_vlan_id_on_the_same_interface(deployment):
    create(deployment, "vlan", "10.30.0.0/24", vlan=300)
    segments = deployment.get("test").segments
    refused(
        lambda: segments.create(vlan=300, interface="eth1"),
        "VLAN 300 on eth1 of network 1 (test)",
        "VLAN 300 on eth1 of network 1 (vlan)",
    )
    segments.create(vlan=300, interface="eth2")  # another interface: another VLAN


def test_the_same_vni(deployment):
    deployment.get("test").segments.create(vni=5000, interface="eth9")
    refused(
        lambda: deployment.get("test_other").segments.create(vni=5000, interface="eth9"),
        "VNI 5000 on eth9",
        "(test_other)",
        "(test)",
    )


def test_a_refused_segment_writes_nothing(deployment):
    create(deployment, "flat", "10.50.0.0/24", bridge="brflat")
    refused(lambda: deployment.get("test").segments.create(cidr="10.50.0.128/25"), "(flat)")
    assert deployment.get("test").segments.claims() == []


def test_delete_frees_the_claims(deployment):
    rows = create(deployment, "flat", "10.147.0.0/24", bridge="br100")
    deployment.get("flat").networks.delete(rows[0].uuid)
    create(deployment, "flat_dhcp", "10.147.0.0/24", bridge="br100")
    floating = deployment.get("flat_dhcp").floating
    floating.create_range("203.0.113.0/29")
    floating.delete_range("203.0.113.3")  # frees one address of the range, only that one
    deployment.get("vlan").floating.create_range("203.0.113.3")
    refused(lambda: deployment.get("vlan").floating.create_range("203.0.113.4"), "(flat_dhcp)")
    floating.delete_range("203.0.113.0/29")
    deployment.get("vlan").floating.create_range("203.0.113.4")


def race(count_, target):
    """Run ``target(index)`` in ``count_`` threads released at once; results by index."""
    start = threading.Barrier(count_)
    results: dict[int, object] = {}

    def run(index):
        start.wait()
        try:
            results[index] = target(index)
        except Exception as err:  # the test inspects what each got
            results[index] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count_)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def test_eight_floating_creates_of_two_plugins_one_wins(deployment):
    # No lock row on PostgreSQL: the exclusion constraint decides, and the
    # losers, retried, are refused by name.
    plugins = ("flat_dhcp", "vlan")
    ranges = ("198.51.100.0/28", "198.51.100.8/29")

    def target(index):
        return deployment.get(plugins[index % 2]).floating.create_range(ranges[index % 4 // 2])

    results = race(8, target)
    won = [i for i, r in results.items() if isinstance(r, int)]
    assert len(won) == 1, results
    lost = [r for r in results.values() if not isinstance(r, int)]
    assert all(isinstance(r, exceptions.Conflict) for r in lost), lost
    winner = plugins[won[0] % 2]
    loser = plugins[1 - won[0] % 2]
    assert deployment.get(loser).floating.list() == []
    assert {e.owner for e in deployment.get(winner).context.registry.entries()} == {winner}


def test_eight_writers_of_two_plugins_one_wins(deployment):
    start = threading.Barrier(8)
    results: dict[int, object] = {}

    def run(index):
        service = ("flat", "flat_dhcp")[index % 2]
        cidr = ("10.99.0.0/24", "10.99.0.0/23")[index % 4 // 2]
        bridge = f"br{service}"
        start.wait()
        try:
            size = 256 if cidr.endswith("/24") else 512
            results[index] = create(deployment, service, cidr, bridge=bridge, network_size=size)
        except Exception as err:  # the test inspects what each got
            results[index] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    won = [r for r in results.values() if isinstance(r, list)]
    lost = [r for r in results.values() if not isinstance(r, list)]
    assert len(won) == 1, results
    assert all(isinstance(r, exceptions.Conflict) for r in lost), lost
    networks = deployment.get("flat").networks.list() + deployment.get("flat_dhcp").networks.list()
    assert len(networks) == 1
    # Nothing half-written: the winner's range and bridge, nothing of the losers.
    assert count(deployment, RegistryAddress) == 1
    assert count(deployment, RegistryL2) == 1


def without_registry(manager, *services):
    """Write as a version before the registry did: the plugins claim nothing."""
    for name in services:
        plugin = manager.get(name)
        plugin.networks.registry = None
        if hasattr(plugin, "floating"):
            plugin.floating.store.registry = None


def test_db_sync_backfills_what_older_versions_wrote(deployment, config_path, capsys):
    without_registry(deployment, "flat", "flat_dhcp")
    create(deployment, "flat", "10.60.0.0/24", bridge="brflat")
    create(deployment, "flat_dhcp", "10.61.0.0/24", bridge="br100")
    deployment.get("flat_dhcp").floating.create_range("203.0.113.0/30")
    assert manage.main(["--config-file", config_path, "registry", "check"]) == 1
    captured = capsys.readouterr()
    assert "missing from the registry: 10.60.0.0/24 of network 1 (flat)" in captured.out
    assert "missing from the registry: 203.0.113.1-203.0.113.2 of floating IPs (flat_dhcp)" in (
        captured.out
    )
    assert "differs from the plugins' tables" in captured.err
    assert manage.main(["--config-file", config_path, "db", "sync"]) == 0
    assert "registry: 6 claim(s) backfilled" in capsys.readouterr().out
    assert manage.main(["--config-file", config_path, "registry", "check"]) == 0
    assert "matches" in capsys.readouterr().out
    assert manage.main(["--config-file", config_path, "db", "sync"]) == 0
    assert "registry: up to date" in capsys.readouterr().out
    # Backfilled claims hold: a new network of another plugin is refused.
    refused(lambda: create(deployment, "vlan", "10.60.0.0/24", vlan=400), "(flat)")


def test_db_sync_stops_on_data_that_already_collides(deployment, config_path, capsys):
    without_registry(deployment, "flat", "flat_dhcp")
    create(deployment, "flat", "10.147.0.0/24", bridge="brflat")
    create(deployment, "flat_dhcp", "10.147.0.0/24", bridge="br100")
    assert manage.main(["--config-file", config_path, "db", "sync"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert (
        "10.147.0.0/24 of network 1 (flat_dhcp) overlaps 10.147.0.0/24 of network 1 (flat)"
        in (err[0])
    )
    assert count(deployment, RegistryAddress) == 0  # all or none


def test_registry_list_and_drift_from_a_stale_claim(deployment, config_path, capsys):
    create(deployment, "flat_dhcp", "10.70.0.0/24", bridge="br100")
    deployment.get("test").segments.create(vni=7000, interface="eth9")
    deployment.get("flat_dhcp").floating.create_range("203.0.113.0/29")
    assert manage.main(["--config-file", config_path, "registry", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["kind", "resource", "owner", "network"]
    assert lines[1].split() == ["fixed", "10.70.0.0/24", "flat_dhcp", "1"]
    # A floating range is held as CIDRs, listed as one run of addresses.
    assert lines[2].split() == ["floating", "203.0.113.1-203.0.113.6", "flat_dhcp", "-"]
    assert manage.main(["--config-file", config_path, "registry", "list", "--kind", "l2"]) == 0
    l2 = capsys.readouterr().out.splitlines()
    assert [line.split() for line in l2[1:]] == [
        ["bridge", "br100", "flat_dhcp", "1"],
        ["vni", "7000", "on", "eth9", "test", "1"],
    ]
    with deployment.database.write_connection() as conn:  # a row the plugin no longer has
        conn.execute(sa.text("DELETE FROM testplugin_segments"))
    assert manage.main(["--config-file", config_path, "registry", "check"]) == 1
    out = capsys.readouterr().out
    assert (
        "held in the registry but not in test's tables: VNI 7000 on eth9 of network 1 (test)"
        in out
    )


def test_moving_a_network_onto_an_interface_where_its_vlan_is_taken(deployment):
    vlan = deployment.get("vlan")
    (row,) = create(deployment, "vlan", "10.30.0.0/24", vlan=300)
    deployment.get("test").segments.create(vlan=300, interface="eth2")
    refused(
        lambda: vlan.networks.modify(row.uuid, bridge_interface="eth2"),
        "VLAN 300 on eth2 of network 1 (vlan)",
        "VLAN 300 on eth2 of network 1 (test)",
    )
    assert vlan.networks.get(row.uuid).bridge_interface == "eth1"  # nothing changed
    vlan.networks.modify(row.uuid, bridge_interface="eth3")
    deployment.get("test").segments.create(vlan=300, interface="eth1")  # freed by the move


def test_rest_and_manage_tools_answer_409_and_exit_1(deployment, config_path, capsys):
    from netservice_flat_dhcp import manage as flat_dhcp_manage

    from netservice.core.api.router import build_app
    from netservice.testing.client import ApiClient

    create(deployment, "flat", "10.147.0.0/24", bridge="brflat")
    admin = ApiClient(
        build_app(make_conf(config_path), deployment), project_id="ops", roles=("admin",)
    )
    reply = admin.post(
        "/v1.0/flat_dhcp/networks", {"network": {"label": "n", "cidr": "10.147.0.0/24"}}
    )
    assert reply.status == 409, reply.body
    assert "overlaps 10.147.0.0/24 of network 1 (flat)" in reply.body.decode()
    argv = ["--config-file", config_path, "floating", "create", "--ip_range", "10.147.0.8"]
    assert flat_dhcp_manage.main(argv) == 1
    err = capsys.readouterr().err
    assert (
        "10.147.0.8 of floating IPs (flat_dhcp) overlaps 10.147.0.0/24 of network 1 (flat)" in err
    )
