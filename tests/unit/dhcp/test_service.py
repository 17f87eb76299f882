"""The DHCP reconciler against SQLite and recording drivers."""

from __future__ import annotations

import datetime

import pytest

from netservice.dhcp.parts import NetworkExtra
from netservice.dhcp.service import DhcpNetService
from netservice.dhcp.state import StateReader
from tests.unit.dhcp import fakes

MAC1, MAC2, MAC3 = "fa:16:3e:00:00:01", "fa:16:3e:00:00:02", "fa:16:3e:00:00:03"


@pytest.fixture
def db(tmp_path):
    database = fakes.database(tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def plane():
    return fakes.dataplane()


@pytest.fixture
def service(db, plane):
    return DhcpNetService(StateReader(db, fakes.TABLES, "host-a"), lambda: plane)


def test_full_pass_claims_and_converges(db, plane, service):
    nid = fakes.add_network(db)
    fakes.set_ip(db, nid, "10.0.0.2", fakes.add_vnic(db, nid, MAC1))
    fakes.set_ip(db, nid, "10.0.0.3", fakes.add_vnic(db, nid, MAC2), allocated=False)
    service.reconcile()
    key = str(nid)
    assert plane.dhcp.hosts[key] == {MAC1: ("10.0.0.2", "vm-1")}
    assert plane.firewall.networks == {key: "10.0.0.0/24"}
    bridge = plane.links.get("br100")
    assert bridge is not None and bridge.up
    assert [str(a) for a in plane.links.backend.addresses("br100")] == ["10.0.0.1/24"]
    with db.writer() as session:
        assert session.get(fakes.Net, nid).host == "host-a"


def test_a_second_pass_changes_nothing(db, plane, service):
    nid = fakes.add_network(db)
    fakes.set_ip(db, nid, "10.0.0.2", fakes.add_vnic(db, nid, MAC1))
    service.reconcile()
    fw_ops, addresses = list(plane.firewall.ops), plane.links.backend.addresses("br100")
    service.reconcile()
    assert plane.firewall.ops == fw_ops
    assert plane.links.backend.addresses("br100") == addresses
    assert plane.dhcp.running == {str(nid): 100}


def test_another_hosts_network_is_left_alone(db, plane, service):
    fakes.add_network(db, host="host-b")
    service.reconcile()
    assert plane.dhcp.hosts == {} and plane.firewall.networks == {}


def test_a_change_is_applied_as_a_difference(db, plane, service):
    nid = fakes.add_network(db)
    first = fakes.add_vnic(db, nid, MAC1)
    fakes.set_ip(db, nid, "10.0.0.2", first)
    service.reconcile()
    plane.dhcp.ops.clear()
    fakes.set_ip(db, nid, "10.0.0.3", fakes.add_vnic(db, nid, MAC2, instance="vm-2"))
    service.reconcile_network(str(nid))
    assert plane.dhcp.ops == [("add", str(nid), MAC2)]
    plane.dhcp.ops.clear()
    # Deallocated while leased: the host entry goes, and dnsmasq is told to release.
    fakes.set_ip(db, nid, "10.0.0.2", first, allocated=False, leased=True)
    service.reconcile_network(str(nid))
    assert plane.dhcp.ops == [("remove", str(nid), MAC1), ("release", str(nid), "10.0.0.2", MAC1)]
    assert set(plane.dhcp.hosts[str(nid)]) == {MAC2}


def test_rows_older_than_the_margin_are_not_read_again(db, plane, service):
    nid = fakes.add_network(db)
    old = datetime.datetime(2020, 1, 1)
    for i in range(20):
        mac = f"fa:16:3e:00:01:{i:02x}"
        fakes.set_ip(db, nid, f"10.0.0.{i + 2}", fakes.add_vnic(db, nid, mac), when=old)
    service.reconcile()
    reads = []
    original = service.reader.hosts
    service.reader.hosts = lambda spec, since=None: (
        reads.append(original(spec, since)) or reads[-1]
    )
    fakes.set_ip(db, nid, "10.0.0.100", fakes.add_vnic(db, nid, MAC3))
    service.reconcile_network(str(nid))
    assert [len(r) for r in reads] == [1]  # the new row only, not the 20 old ones


def test_a_new_network_is_claimed_on_its_notification(db, plane, service):
    service.reconcile()
    nid = fakes.add_network(db, cidr="10.9.0.0/24", bridge="br9")
    service.reconcile_network(str(nid))
    assert str(nid) in plane.dhcp.running and plane.links.get("br9") is not None


def test_a_deleted_network_is_torn_down(db, plane, service):
    nid = fakes.add_network(db)
    service.reconcile()
    with db.writer() as session:
        session.get(fakes.Net, nid).deleted = nid
    service.reconcile_network(str(nid))
    assert plane.dhcp.running == {} and plane.firewall.networks == {}


def test_leftovers_of_a_crash_are_removed(db, plane, service):
    plane.dhcp.hosts["77"] = {}
    plane.dhcp.running["77"] = 999
    plane.firewall.networks["77"] = "10.77.0.0/24"
    service.reconcile()
    assert "77" not in plane.dhcp.running and "77" not in plane.firewall.networks


def test_floating_ips_follow_the_database(db, plane, service):
    nid = fakes.add_network(db)
    ip_id = fakes.set_ip(db, nid, "10.0.0.2", fakes.add_vnic(db, nid, MAC1))
    plane.firewall.bound["192.0.2.99"] = "10.0.0.50"  # stale, from before a restart
    with db.writer() as session:
        session.add(fakes.Floating(id=1, address="192.0.2.10", fixed_ip_id=ip_id, host="host-a"))
    service.reconcile()
    assert plane.firewall.bound == {"192.0.2.10": "10.0.0.2"}
    with db.writer() as session:
        row = session.get(fakes.Floating, 1)
        row.fixed_ip_id = None
        row.updated_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    service.reconcile_network(str(nid))
    assert plane.firewall.bound == {}
    with db.writer() as session:
        row = session.get(fakes.Floating, 1)
        row.fixed_ip_id = ip_id
        row.updated_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    service.reconcile_network(str(nid))
    assert plane.firewall.bound == {"192.0.2.10": "10.0.0.2"}


def test_a_dead_dnsmasq_brings_a_full_converge(db, plane, service):
    nid = fakes.add_network(db)
    fakes.set_ip(db, nid, "10.0.0.2", fakes.add_vnic(db, nid, MAC1))
    service.reconcile()
    plane.dhcp.running.clear()
    service.reconcile_network(str(nid))
    assert plane.dhcp.running == {str(nid): 100}
    assert plane.dhcp.hosts[str(nid)] == {MAC1: ("10.0.0.2", "vm-1")}


def test_the_sweep_runs_on_full_passes(db, plane):
    calls = []
    service = DhcpNetService(
        StateReader(db, fakes.TABLES, "host-a"), lambda: plane, sweep=lambda: calls.append(1) or 0
    )
    service.reconcile()
    service.reconcile()
    assert calls == [1, 1]


class RecordingExtra:
    """A topology's extra (a ``NetworkExtra`` part), recorded with the other's calls."""

    def __init__(self, name, calls):
        self.name, self.calls = name, calls

    def apply(self, firewall, spec):
        self.calls.append((self.name, "apply", spec.key))

    def remove(self, firewall, key):
        self.calls.append((self.name, "remove", key))

    def sweep(self, firewall, specs):
        self.calls.append((self.name, "sweep", tuple(s.key for s in specs)))


def test_a_topologys_extras_are_added_removed_and_swept_in_order(db, plane):
    calls = []
    extras = [RecordingExtra("a", calls), RecordingExtra("b", calls)]
    assert all(isinstance(extra, NetworkExtra) for extra in extras)
    service = DhcpNetService(StateReader(db, fakes.TABLES, "host-a"), lambda: plane, extras=extras)
    nid = fakes.add_network(db)
    service.reconcile()
    assert calls == [
        ("a", "apply", str(nid)),
        ("b", "apply", str(nid)),
        ("a", "sweep", (str(nid),)),
        ("b", "sweep", (str(nid),)),
    ]
    with db.writer() as session:
        session.get(fakes.Net, nid).deleted = nid
    calls.clear()
    service.reconcile_network(str(nid))
    assert calls == [("a", "remove", str(nid)), ("b", "remove", str(nid))]


def test_two_plugins_on_one_host_keep_out_of_each_others_networks(db, plane):
    service = DhcpNetService(
        StateReader(db, fakes.TABLES, "host-a", service="flat_dhcp"), lambda: plane
    )
    nid = fakes.add_network(db)
    # The VLAN plugin's network 1, and a leftover of this plugin's network 77.
    plane.dhcp.hosts["vlan-1"], plane.dhcp.running["vlan-1"] = {}, 500
    plane.firewall.networks["vlan-1"] = "10.99.0.0/24"
    plane.dhcp.hosts["flat_dhcp-77"] = {}
    service.reconcile()
    assert f"flat_dhcp-{nid}" in plane.dhcp.running
    assert plane.dhcp.running["vlan-1"] == 500 and "vlan-1" in plane.firewall.networks
    assert "flat_dhcp-77" not in plane.dhcp.hosts


# --- one bad network does not block the others ------------------------------------------


def statuses(db):
    from netservice.core.network_status import NetworkStatuses

    return {
        nid: [(r.host, r.status, r.error) for r in reports]
        for nid, reports in NetworkStatuses(db, "").read(range(1, 10)).items()
    }


def uuid_of(db, nid):
    with db.writer() as session:
        return session.get(fakes.Net, nid).uuid


def set_bridge_interface(db, nid, ifname):
    with db.writer() as session:
        session.get(fakes.Net, nid).bridge_interface = ifname


def test_a_network_with_a_missing_interface_does_not_block_the_others(db, plane, service):
    bad = fakes.add_network(db, bridge_interface="eth1", label="bad")
    good = fakes.add_network(db, cidr="10.1.0.0/24", bridge="br101", label="good")
    fakes.set_ip(db, good, "10.1.0.2", fakes.add_vnic(db, good, MAC1))
    service.reconcile()  # does not raise
    assert plane.dhcp.hosts[str(good)] == {MAC1: ("10.1.0.2", "vm-1")}
    assert plane.links.get("br101").up and str(good) in plane.firewall.networks
    assert str(bad) not in plane.dhcp.running and str(bad) not in plane.firewall.networks
    found = statuses(db)
    assert found[str(good)] == [("host-a", "ACTIVE", None)]
    ((host, status, error),) = found[str(bad)]
    assert (host, status) == ("host-a", "ERROR")
    assert "network interface eth1 not found" in error


def test_a_notified_bad_network_fails_alone(db, plane, service):
    service.reconcile()
    bad = fakes.add_network(db, bridge_interface="eth1")
    service.reconcile_network(str(bad))  # does not raise
    assert statuses(db)[str(bad)][0][1] == "ERROR"
    good = fakes.add_network(db, cidr="10.1.0.0/24", bridge="br101")
    service.reconcile_network(str(good))
    assert str(good) in plane.dhcp.running


def test_the_failure_is_logged_once_per_change_naming_network_and_interface(
    db, plane, service, caplog
):
    bad = fakes.add_network(db, bridge_interface="eth1", label="private")
    with caplog.at_level("DEBUG", logger="netservice.dhcp.service"):
        for _ in range(3):
            service.reconcile()
            service.reconcile_network(str(bad))
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert f"network {uuid_of(db, bad)} (private)" in message
    assert "network interface eth1 not found" in message
    assert errors[0].exc_info is None  # one line, no traceback
    # Another missing interface is a new failure: logged once more.
    caplog.clear()
    set_bridge_interface(db, bad, "eth2")
    with caplog.at_level("INFO", logger="netservice.dhcp.service"):
        service.reconcile()
        service.reconcile()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "eth2" in errors[0]


def test_repairing_the_interface_converges_the_network_and_clears_its_error(
    db, plane, service, caplog
):
    bad = fakes.add_network(db, bridge_interface="eth1")
    service.reconcile()
    plane.links.backend.add_link("eth0", "dummy")
    set_bridge_interface(db, bad, "eth0")
    with caplog.at_level("INFO", logger="netservice.dhcp.service"):
        service.reconcile_network(str(bad))
    assert str(bad) in plane.dhcp.running
    assert plane.links.get("eth0").master == plane.links.get("br100").index
    assert statuses(db)[str(bad)] == [("host-a", "ACTIVE", None)]
    assert "converged again" in caplog.text and "eth1" in caplog.text


def test_a_status_is_written_once_per_change_not_on_every_pass(db, plane, service):
    fakes.add_network(db, bridge_interface="eth1")
    fakes.add_network(db, cidr="10.1.0.0/24", bridge="br101")
    writes = []
    store = service.status.store
    original = store.set
    store.set = lambda *args, **kwargs: writes.append(args) or original(*args, **kwargs)
    for _ in range(4):
        service.reconcile()
    assert len(writes) == 2  # each network's first outcome, then nothing


def test_a_restarted_reconciler_does_not_rewrite_unchanged_statuses(db, plane, service):
    fakes.add_network(db, bridge_interface="eth1")
    service.reconcile()
    again = DhcpNetService(StateReader(db, fakes.TABLES, "host-a"), lambda: plane)
    writes = []
    again.status.store.set = lambda *args, **kwargs: writes.append(args)
    again.reconcile()
    assert writes == []


def test_a_network_no_longer_served_loses_its_status(db, plane, service):
    bad = fakes.add_network(db, bridge_interface="eth1")
    service.reconcile()
    assert str(bad) in statuses(db)
    with db.writer() as session:
        session.get(fakes.Net, bad).host = "host-b"
    service.reconcile_network(str(bad))
    assert str(bad) not in statuses(db)


def test_a_missing_program_fails_the_whole_pass(db):
    from netservice.linux.exceptions import BinaryNotFound

    def missing():
        raise BinaryNotFound("nft", "/usr/bin:/bin")

    fakes.add_network(db)
    service = DhcpNetService(StateReader(db, fakes.TABLES, "host-a"), missing)
    with pytest.raises(BinaryNotFound, match=r"^nft not found \(looked in PATH and /usr/bin"):
        service.reconcile()
    assert statuses(db) == {}  # not blamed on the network


def test_a_leftover_that_cannot_be_removed_does_not_block_the_others(db, plane, service, caplog):
    plane.dhcp.hosts["77"], plane.dhcp.running["77"] = {}, 999
    stop = plane.dhcp.stop

    def stubborn(key):
        if key == "77":
            raise RuntimeError("dnsmasq 999 will not die")
        stop(key)

    plane.dhcp.stop = stubborn
    nid = fakes.add_network(db)
    with caplog.at_level("ERROR", logger="netservice.dhcp.service"):
        service.reconcile()
        service.reconcile()
    assert str(nid) in plane.dhcp.running
    (error,) = [r.getMessage() for r in caplog.records]
    assert "network 77 (no longer served here) failed: dnsmasq 999 will not die" in error
    assert "77" not in statuses(db)  # a network no longer served gets no status
