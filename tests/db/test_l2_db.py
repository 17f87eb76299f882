"""The l2 plugin on SQLite, PostgreSQL and MariaDB: networks, VNICs and registry collisions."""

from __future__ import annotations

import functools

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.core.db.models import RegistryL2
from netservice.ipam.planner import NetworkRequest
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

SERVICES = ("l2", "flat", "vlan", "test")


@pytest.fixture
def config_path(tmp_path, db_url):
    return write_config(
        str(tmp_path / "cfg"),
        SERVICES,
        default="l2",
        connection=db_url,
        extra={"vlan": {"vlan_interface": "eth1"}, "linux": {"dry_run": True}},
    )


@pytest.fixture
def deployment(config_path):
    manager = bootstrap.open_services(make_conf(config_path))
    bootstrap.sync_schema(manager)
    yield manager
    manager.database.dispose()


@pytest.fixture
def admin(config_path, deployment):
    app = build_app(make_conf(config_path), deployment)
    return ApiClient(app, project_id="ops", roles=("admin",))


def refused(call, *names):
    with pytest.raises(exceptions.ClaimConflict) as caught:
        call()
    for name in names:
        assert name in str(caught.value), str(caught.value)


def l2_claims(deployment):
    with deployment.database.engine.connect() as conn:
        rows = conn.execute(sa.select(RegistryL2.kind, RegistryL2.name)
                            .where(RegistryL2.owner == "l2")).all()  # fmt: skip
    return sorted(tuple(r) for r in rows)


def test_create_list_show_delete_over_rest(deployment, admin):
    body = {"network": {"label": "seg", "kind": "vlan", "segment": 42, "interface": "eth3"}}
    reply = admin.post("/v1.0/l2/networks", body)
    assert reply.status == 201, reply.body
    network = reply.json()["network"]
    assert (network["bridge"], network["segment"]) == ("l2v42", 42)
    assert l2_claims(deployment) == [("bridge", "l2v42"), ("vlan", "42")]
    put = {"network": {"label": "renamed", "project_id": "p1"}}
    changed = admin.put(f"/v1.0/l2/networks/{network['id']}", put)
    assert changed.status == 200, changed.body
    assert (changed.json()["network"]["label"], changed.json()["network"]["project_id"]) == (
        "renamed",
        "p1",
    )
    listed = admin.get("/v1.0/l2/networks").json()["networks"]
    assert [n["id"] for n in listed] == [network["id"]]
    assert admin.delete(f"/v1.0/l2/networks/{network['id']}").status == 204
    assert admin.get(f"/v1.0/l2/networks/{network['id']}").status == 404
    assert l2_claims(deployment) == []


def test_bad_input_is_400_naming_the_field(admin):
    reply = admin.post("/v1.0/l2/networks", {"network": {"label": "x", "kind": "vlan"}})
    assert reply.status == 400 and "segment" in reply.body.decode()
    reply = admin.post("/v1.0/l2/networks", {"network": {"label": "x", "bridge": "bad name!"}})
    assert reply.status == 400 and "bridge" in reply.body.decode()


def test_another_plugins_bridge_is_refused_naming_both(deployment, admin):
    request = NetworkRequest(label="f", cidr="10.40.0.0/24", bridge="brflat")
    deployment.get("flat").networks.create(request)
    reply = admin.post("/v1.0/l2/networks", {"network": {"label": "x", "bridge": "brflat"}})
    assert reply.status == 409, reply.body
    text = reply.body.decode()
    assert "bridge brflat" in text and "(l2)" in text and "(flat)" in text
    assert deployment.get("l2").networks.list(None) == []


def test_another_plugins_vlan_is_refused_naming_both(deployment):
    deployment.get("vlan").networks.create(
        NetworkRequest(label="v", cidr="10.30.0.0/24", vlan=300)
    )
    create = deployment.get("l2").networks.create
    refused(
        lambda: create(label="x", kind="vlan", segment=300, interface="eth1"),
        "VLAN 300 on eth1", "(l2)", "(vlan)",
    )  # fmt: skip
    create(label="y", kind="vlan", segment=300, interface="eth2")  # another interface


def test_another_plugins_vni_is_refused_naming_both(deployment):
    deployment.get("test").segments.create(vni=5000, interface="eth9")
    create = deployment.get("l2").networks.create
    refused(
        lambda: create(label="x", kind="vxlan", segment=5000, interface="eth9"),
        "VNI 5000 on eth9", "(l2)", "(test)",
    )  # fmt: skip


def test_vnic_create_info_xml_and_delete(deployment, admin):
    network = deployment.get("l2").networks.create(label="seg", bridge="brseg")
    member = admin.as_project("p1", "member", "reader")
    reply = member.post("/v1.0/l2/vnics", {"vnic": {"network_id": network.id}})
    assert reply.status == 201, reply.body
    vnic = reply.json()["vnic"]
    assert vnic["mac_address"].startswith("fa:16:3e:") and vnic["project_id"] == "p1"
    info = member.get(f"/v1.0/l2/vnics/{vnic['id']}/network_info").json()["network_info"]
    assert info["mac_address"] == vnic["mac_address"]
    assert info["bridge"] == "brseg"
    assert all(info[k] is None for k in info if k not in ("mac_address", "dns", "bridge"))
    # A network with a VNIC cannot go; the VNIC can, then the network.
    assert admin.delete(f"/v1.0/l2/networks/{network.id}").status == 409
    assert admin.as_project("p2", "member").get(f"/v1.0/l2/vnics/{vnic['id']}").status == 404
    assert member.delete(f"/v1.0/l2/vnics/{vnic['id']}").status == 204
    assert member.get(f"/v1.0/l2/vnics/{vnic['id']}").status == 404
    assert admin.delete(f"/v1.0/l2/networks/{network.id}").status == 204


def test_a_project_of_another_service_gets_no_vnic(deployment, admin):
    network = deployment.get("l2").networks.create(label="seg", bridge="brseg")
    put = {"network_service": {"name": "flat"}}
    assert admin.put("/v1.0/projects/p3/network_service", put).status == 200
    reply = admin.as_project("p3", "member").post(
        "/v1.0/l2/vnics", {"vnic": {"network_id": network.id}}
    )
    assert reply.status == 409 and "p3" in reply.body.decode()


def test_registry_check_finds_no_drift_and_sync_backfills(deployment):
    from netservice.core.registry import commands

    l2 = deployment.get("l2").networks
    l2.create(label="v", kind="vlan", segment=12, interface="eth4")
    l2.create(label="x", kind="vxlan", segment=7000, interface="eth4")
    assert commands.check(deployment) == []
    with deployment.database.engine.begin() as conn:  # as a deployment older than the registry
        conn.execute(sa.delete(RegistryL2).where(RegistryL2.owner == "l2"))
    assert len(commands.check(deployment)) == 4
    assert commands.sync(deployment) == 4
    assert commands.check(deployment) == []


RACERS = 8


def _outcome(call, expected):
    """What ``call`` came to: ``"ok"``, the name of an expected refusal, or the error."""
    try:
        call()
    except expected as refused:
        return type(refused).__name__
    except Exception as err:
        return f"error {type(err).__name__}: {err}"
    return "ok"


def _race(calls):
    """Run ``calls`` at once from their own threads; their outcomes in order."""
    import threading

    start = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(index, call, expected):
        start.wait()
        outcomes[index] = _outcome(call, expected)

    threads = [threading.Thread(target=run, args=(i, *c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_vnics_racing_a_network_delete_are_refused_or_block_it(deployment):
    """7 threads make a VNIC on one network while an 8th deletes it.  Each VNIC is
    made (and then the delete is refused, 409) or refused as gone (404); never a
    database error, and no VNIC is left on a deleted network."""
    from netservice_l2.models import L2Network, L2Vnic

    from netservice.core.context import RequestContext

    l2, admin = deployment.get("l2"), RequestContext.admin("ops")
    for _ in range(5):  # a handful of rounds: the interleavings differ
        network_id = l2.networks.create(label="race", bridge="brrace").id
        make = functools.partial(l2.vnics.create, admin, network_id)
        calls = [
            (functools.partial(make, project_id=f"p{i}"), exceptions.NotFound)
            for i in range(RACERS - 1)
        ]
        calls.append((functools.partial(l2.networks.delete, network_id), exceptions.InUse))
        outcomes = _race(calls)
        assert not [o for o in outcomes if o.startswith("error")], outcomes
        made = outcomes[:-1].count("ok")
        with deployment.database.engine.connect() as conn:
            left = conn.scalar(sa.select(sa.func.count()).select_from(L2Vnic)
                               .where(L2Vnic.network_id == network_id))  # fmt: skip
            exists = conn.scalar(sa.select(sa.func.count()).select_from(L2Network)
                                 .where(L2Network.id == network_id))  # fmt: skip
        assert left == made
        # The network stays exactly when a VNIC got there first.
        assert exists == (1 if made else 0), outcomes
        assert outcomes[-1] == ("InUse" if made else "ok"), outcomes
        for vnic in l2.vnics.list(admin):
            l2.vnics.delete(admin, vnic.id)
        if exists:
            l2.networks.delete(network_id)


def test_a_network_with_vnics_keeps_its_project(deployment, admin):
    network = deployment.get("l2").networks.create(label="seg", bridge="brown", project_id="p1")
    member = admin.as_project("p1", "member")
    vnic = member.post("/v1.0/l2/vnics", {"vnic": {"network_id": network.id}}).json()["vnic"]
    reply = admin.put(f"/v1.0/l2/networks/{network.id}", {"network": {"project_id": "p2"}})
    assert reply.status == 409 and "VNIC(s) plug into it" in reply.body.decode(), reply.body
    # A new label is fine, and so is the project once the VNIC is gone.
    renamed = admin.put(f"/v1.0/l2/networks/{network.id}", {"network": {"label": "seg2"}})
    assert renamed.status == 200 and renamed.json()["network"]["project_id"] == "p1"
    assert member.delete(f"/v1.0/l2/vnics/{vnic['id']}").status == 204
    moved = admin.put(f"/v1.0/l2/networks/{network.id}", {"network": {"project_id": "p2"}})
    assert moved.status == 200 and moved.json()["network"]["project_id"] == "p2"


def test_eight_writers_of_two_plugins_racing_for_one_vlan_id_one_wins(deployment):
    """4 l2 creates and 4 VLAN creates of VLAN 310 on eth1, at once: one wins,
    the seven others are refused (409) naming the holder, one registry row."""
    l2, vlan = deployment.get("l2").networks, deployment.get("vlan").networks
    calls = [
        (functools.partial(l2.create, label=f"l2-{i}", kind="vlan", segment=310,
                           interface="eth1", bridge=f"brr{i}"), exceptions.Conflict)
        for i in range(RACERS // 2)
    ] + [
        (functools.partial(vlan.create, NetworkRequest(label=f"v-{i}",
                           cidr=f"10.31.{i}.0/24", vlan=310)), exceptions.Conflict)
        for i in range(RACERS // 2)
    ]  # fmt: skip
    outcomes = _race(calls)
    assert outcomes.count("ok") == 1, outcomes
    # Refused by the registry (ClaimConflict) or, among VLAN's own, by VLAN (DuplicateVlan).
    assert set(outcomes) <= {"ok", "ClaimConflict", "DuplicateVlan"}, outcomes
    with deployment.database.engine.connect() as conn:
        held = conn.execute(sa.select(RegistryL2.owner).where(RegistryL2.kind == "vlan",
                            RegistryL2.name == "310")).all()  # fmt: skip
    assert len(held) == 1, held
