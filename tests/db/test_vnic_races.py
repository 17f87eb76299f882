"""Binding and deleting VNICs under 8 concurrent clients, through REST, on every backend.

A bind of a VNIC being deleted either lands first (and the delete releases
its address) or answers 404; a delete takes the port, the address and the
instance's row with it in one transaction.  Nothing is left allocated to a
deleted VNIC, and no request answers anything else.
"""

from __future__ import annotations

import collections
import threading

import pytest
import sqlalchemy as sa
from netservice_flat.models import EthernetCard, FlatIpAddress

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api
from netservice.core.db.models import InstanceVirtualNic
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

CLIENTS = 8
ROUNDS = 200
VNICS_PER_ROUND = 2
BASE = "/v1.0/flat"
P1 = RequestContext("p1")


@pytest.fixture
def flat(tmp_path, db_url):
    path = write_config(str(tmp_path / "racecfg"), ["flat"], default="flat", connection=db_url)
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    api = ApiClient(build_app(make_conf(path), manager), project_id="p1")
    admin = api.as_project("ops", "admin")
    created = admin.post(f"{BASE}/networks", {"network": {"label": "r", "cidr": "10.0.0.0/22"}})
    assert created.status == 201, created.body
    yield api, manager
    manager.database.dispose()


def _vnics_on_instances(manager, rounds):
    """Each round's VNICs, attached to the round's instance; made before the race starts."""
    vnics = manager.get("flat").vnics
    made = []
    for number in range(rounds):
        ids = [vnics.create(P1).id for _ in range(VNICS_PER_ROUND)]
        db_api.attach_vnics(manager.database, f"i-{number}", "p1", ids)
        made.append(ids)
    return made


def _leftovers(database):
    """Addresses allocated to deleted VNICs, and instance rows of deleted VNICs."""
    with database.transaction() as session:
        leaked = session.scalars(
            sa.select(FlatIpAddress.address)
            .join(EthernetCard, EthernetCard.id == FlatIpAddress.vnic_id)
            .where(FlatIpAddress.allocated.is_(True), EthernetCard.deleted != 0)
        ).all()
        orphans = session.scalars(
            sa.select(InstanceVirtualNic.virtual_nic_id)
            .join(EthernetCard, EthernetCard.id == InstanceVirtualNic.virtual_nic_id)
            .where(InstanceVirtualNic.deleted == 0, EthernetCard.deleted != 0)
        ).all()
        allocated = session.scalar(
            sa.select(sa.func.count()).where(FlatIpAddress.allocated.is_(True))
        )
    return list(leaked), list(orphans), allocated


def test_bind_racing_delete_leaks_no_address_and_no_instance_row(flat):
    api, manager = flat
    rounds = _vnics_on_instances(manager, ROUNDS)
    assert api.get(f"/v1.0/instances/i-{ROUNDS - 1}/vnics").status == 200
    statuses = collections.Counter()
    unexpected = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def client(index):
        binder = index % 2 == 0
        for vnics in rounds:
            barrier.wait()  # everyone starts the round together
            vnic = vnics[(index // 2) % VNICS_PER_ROUND]
            if binder:
                reply = api.post(f"{BASE}/ports", {"port": {"vnic_id": vnic}})
                ok = reply.status in (201, 404)
            else:
                reply = api.delete(f"{BASE}/vnics/{vnic}")
                ok = reply.status in (204, 404)
            with lock:
                statuses[("bind" if binder else "delete", reply.status)] += 1
                if not ok:
                    unexpected.append((reply.status, reply.body[:200]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    leaked, orphans, allocated = _leftovers(manager.database)
    assert not unexpected, unexpected[:5]
    assert leaked == []
    assert orphans == []
    assert allocated == 0  # every VNIC was deleted, so every address is free again
    # Both outcomes of the race happened, or the test raced nothing.
    assert statuses[("bind", 201)] > 0
    assert statuses[("delete", 204)] == ROUNDS * VNICS_PER_ROUND
    assert sum(statuses.values()) == ROUNDS * CLIENTS
    # The instances' rows went with their VNICs: the last instance has none left.
    assert api.get(f"/v1.0/instances/i-{ROUNDS - 1}/vnics").status == 404


def test_eight_clients_deleting_vnics_all_succeed(flat):
    """SQLite answered 500 "database is locked" to 30-65 % of these before."""
    api, manager = flat
    vnics = manager.get("flat").vnics
    ids = [vnics.create(P1).id for _ in range(CLIENTS * 6)]
    for vnic in ids[::2]:
        assert api.post(f"{BASE}/ports", {"port": {"vnic_id": vnic}}).status == 201
    replies = collections.Counter()
    barrier = threading.Barrier(CLIENTS)

    def client(index):
        barrier.wait()
        for vnic in ids[index::CLIENTS]:
            replies[api.delete(f"{BASE}/vnics/{vnic}").status] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == {204: len(ids)}
    assert _leftovers(manager.database) == ([], [], 0)


def test_deleting_a_vnic_takes_it_off_its_instance(flat):
    api, manager = flat
    keep, gone = (manager.get("flat").vnics.create(P1).id for _ in range(2))
    for vnic in (keep, gone):
        assert api.post("/v1.0/instances/vm-1/vnics", {"vnic": {"id": vnic}}).status == 201
    assert api.post(f"{BASE}/ports", {"port": {"vnic_id": gone}}).status == 201
    assert api.delete(f"{BASE}/vnics/{gone}").status == 204
    listed = api.get("/v1.0/instances/vm-1/vnics").json()["vnics"]
    assert [v["id"] for v in listed] == [keep]
    assert api.post(f"{BASE}/ports", {"port": {"vnic_id": gone}}).status == 404
    assert _leftovers(manager.database) == ([], [], 0)
