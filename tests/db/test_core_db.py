"""The core's tables and migrations, on every backend."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap, exceptions, projects
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api
from netservice.core.db import migration
from netservice.core.db.models import ProjectNetworkService


def test_sync_creates_every_branch_and_is_idempotent(db_manager):
    bootstrap.sync_schema(db_manager)
    bootstrap.check_schema(db_manager)
    tables = set(sa.inspect(db_manager.database.engine).get_table_names())
    assert {
        "project_network_services",
        "instance_virtual_nics",
        "testplugin_vnics",
        "netservice_alembic_version",
        "testplugin_alembic_version",
    } <= tables


def test_check_schema_reports_a_stale_database(db_url, db_config_file):
    from netservice.testing.config import make_conf

    manager = bootstrap.open_services(make_conf(db_config_file))
    assert migration.pending(manager.database, migration.CORE_BRANCH)
    with pytest.raises(exceptions.ConfigurationError, match="netservice-manage db sync"):
        bootstrap.check_schema(manager)
    manager.database.dispose()


def test_association_replaces_with_soft_delete(db_manager):
    db = db_manager.database
    db_api.set_project_service(db, "p1", "test")
    db_api.set_project_service(db, "p1", "test_other")
    db_api.set_project_service(db, "p1", "test_other")
    assert db_api.get_project_service(db, "p1") == "test_other"
    with db.writer() as session:
        rows = session.scalars(
            sa.select(ProjectNetworkService).order_by(ProjectNetworkService.id)
        ).all()
        assert [(r.network_service, r.deleted != 0, r.deleted_at is not None) for r in rows] == [
            ("test", True, True),
            ("test_other", False, False),
        ]
    assert db_api.delete_project_service(db, "p1") is True
    assert db_api.delete_project_service(db, "p1") is False
    assert db_api.get_project_service(db, "p1") is None


def test_concurrent_association_leaves_one_live_row(db_manager):
    db = db_manager.database
    errors = []

    def worker(name):
        for _ in range(10):
            try:
                db_api.set_project_service(db, "race", name)
            except exceptions.Conflict:
                pass  # a lost race is reported, never a second live row
            except Exception as err:
                errors.append(err)

    threads = [
        threading.Thread(target=worker, args=(n,))
        for n in ("test", "test_other", "test", "test_other")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.writer() as session:
        live = session.scalar(
            sa.select(sa.func.count()).where(
                ProjectNetworkService.project_id == "race", ProjectNetworkService.deleted == 0
            )
        )
    assert live == 1


def test_attach_is_all_or_nothing(db_manager):
    db = db_manager.database
    db_api.attach_vnics(db, "i-1", "p1", ["v1"])
    with pytest.raises(exceptions.VnicInUse, match="i-1"):
        db_api.attach_vnics(db, "i-2", "p1", ["v2", "v1"])
    assert db_api.list_instance_vnics(db, "i-2") == []  # v2 was not written
    db_api.attach_vnics(db, "i-1", "p1", ["v1", "v3"])
    assert [r.virtual_nic_id for r in db_api.list_instance_vnics(db, "i-1")] == ["v1", "v3"]
    assert db_api.detach_vnics(db, "i-1") == 2
    assert db_api.detach_vnics(db, "i-1") == 0
    db_api.attach_vnics(db, "i-2", "p1", ["v1"])  # free again after detach


def test_moving_a_project_refuses_to_orphan(db_manager, db_client):
    assert db_client.post("/v1.0/test/vnics", {"vnic": {"label": "a"}}).status == 201
    admin = RequestContext.admin()
    with pytest.raises(exceptions.ProjectHasResources, match="1 vnics"):
        projects.set_network_service(db_manager, admin, "p1", "test_other")
    assert db_api.get_project_service(db_manager.database, "p1") is None
    projects.set_network_service(db_manager, admin, "p1", "test_other", force=True)
    assert db_api.get_project_service(db_manager.database, "p1") == "test_other"


def test_rest_round_trip(db_client):
    admin = db_client.as_project("ops", "admin")
    assert (
        admin.put(
            "/v1.0/projects/p1/network_service", {"network_service": {"name": "test_other"}}
        ).status
        == 200
    )
    vnic = db_client.post("/v1.0/test_other/vnics", {"vnic": {"label": "x"}}).json()["vnic"]
    assert db_client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": vnic["id"]}}).status == 201
    assert db_client.get("/v1.0/instances/i-1/vnics").json()["vnics"][0]["id"] == vnic["id"]
    assert db_client.get("/v1.0/test/vnics").status == 409
