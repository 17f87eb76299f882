"""Binding and deleting VNICs under 8 concurrent clients, on every backend.

A bind of a VNIC being deleted either lands first (and the delete releases
its address) or is VnicNotFound (404); a delete takes the port, the address
and the instance's row with it in one transaction.  Nothing is left
allocated to a deleted VNIC, and nothing raises anything else.  The 200-round
race calls the service layer REST's ``POST ports`` and ``DELETE vnics`` call
(``bind_port``, ``delete``), in threads, so it stays within a minute per engine;
the other tests go through REST.
"""

from __future__ import annotations

import collections
import threading
import uuid

import pytest
import sqlalchemy as sa
from netservice_flat.models import EthernetCard, FlatIpAddress

from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.core.db.models import InstanceVirtualNic
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

CLIENTS = 8
ROUNDS = 200
VNICS_PER_ROUND = 4  # each raced by one binder and one deleter
BASE = "/v1.0/flat"
P1 = RequestContext("p1")


@pytest.fixture
def flat(tmp_path, db_url):
    path = write_config(str(tmp_path / "racecfg"), ["flat"], default="flat", connection=db_url)
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    api = ApiClient(build_app(make_conf(path), manager), project_id="p1")
    admin = api.as_project("ops", "admin")
    networks = []
    for number in range(VNICS_PER_ROUND):
        wanted = {"network": {"label": f"r{number}", "cidr": f"10.0.{number}.0/24"}}
        created = admin.post(f"{BASE}/networks", wanted)
        assert created.status == 201, created.body
        networks.append(manager.get("flat").networks.get(created.json()["networks"][0]["id"]).id)
    manager.race_networks = networks
    yield api, manager
    manager.database.dispose()


def _vnics_on_instances(manager, rounds):
    """Each round's VNICs, one per network, attached to the round's instance.

    Written in one transaction before the race starts (creating VNICs is not
    what is under test).  A round's VNICs are on different networks, so each
    bind/delete pair queues only on its own network's lock.
    """
    made, cards, attached = [], [], []
    live = {"project_id": "p1", "created_at": utcnow(), "deleted": 0}
    for number in range(rounds):
        ids = [str(uuid.uuid4()) for _ in manager.race_networks]
        for index, (vnic, network) in enumerate(zip(ids, manager.race_networks, strict=True)):
            mac = f"fa:16:3e:{index:02x}:{number // 256:02x}:{number % 256:02x}"
            cards.append({"id": vnic, "mac": mac, "network_id": network, **live})
            attached.append({"instance_id": f"i-{number}", "virtual_nic_id": vnic, **live})
        made.append(ids)
    with manager.database.writer() as session:
        session.execute(sa.insert(EthernetCard), cards)
        session.execute(sa.insert(InstanceVirtualNic), attached)
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

    service = manager.get("flat").vnics

    def bind(vnic):
        service.bind_port(P1, vnic, lambda project_id: None)
        return "bound"

    def delete(vnic):
        service.delete(P1, vnic)
        return "deleted"

    def client(index):
        binder = index % 2 == 0
        for vnics in rounds:
            barrier.wait()  # everyone starts the round together
            vnic = vnics[index // 2]
            try:
                outcome = (bind if binder else delete)(vnic)
            except exceptions.VnicNotFound:
                outcome = "404"
            except Exception as err:  # anything else is what this test is about
                outcome = "error"
                with lock:
                    unexpected.append(f"{type(err).__name__}: {err}")
            with lock:
                statuses[("bind" if binder else "delete", outcome)] += 1

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
    assert statuses[("bind", "bound")] > 0
    assert statuses[("delete", "deleted")] == ROUNDS * VNICS_PER_ROUND
    assert sum(statuses.values()) == ROUNDS * CLIENTS
    # The instances' rows went with their VNICs: the last instance has none left.
    assert api.get(f"/v1.0/instances/i-{ROUNDS - 1}/vnics").status == 404


def test_eight_clients_deleting_vnics_all_succeed(flat):
    """SQLite answered 500 "database is locked" to 30-65 % of these before."""
    api, manager = flat
    vnics = manager.get("flat").vnics
    ids = [vnics.create(P1).id for _ in range(CLIENTS * 3)]
    for vnic in ids[::2]:
        assert api.post(f"{BASE}/ports", {"port": {"vnic_id": vnic}}).status == 201
    replies = collections.Counter()
    barrier = threading.Barrier(CLIENTS)

    def client(index):
        barrier.wait()
        # Two clients per VNIC: one deletes it (204), the other finds it gone (404).
        for vnic in ids[index // 2 :: CLIENTS // 2]:
            replies[api.delete(f"{BASE}/vnics/{vnic}").status] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == {204: len(ids), 404: len(ids)}
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
