"""The core's network_statuses, as migrated (core_0002), on every backend."""

from __future__ import annotations

import sqlalchemy as sa

from netservice.core.db.models import NetworkStatus
from netservice.core.network_status import ACTIVE, ERROR, HostStatus, NetworkStatuses, clear


def test_the_model_matches_the_migrated_table(db_manager):
    inspected = {c["name"]: c for c in sa.inspect(db_manager.database.engine).get_columns(
        "network_statuses")}  # fmt: skip
    model = NetworkStatus.__table__.c
    assert set(inspected) == {c.name for c in model}
    for column in model:
        assert inspected[column.name]["nullable"] == column.nullable, column.name
    uniques = sa.inspect(db_manager.database.engine).get_unique_constraints("network_statuses")
    assert [sorted(u["column_names"]) for u in uniques] == [["host", "network_id", "service"]]


def test_reports_replace_per_host_and_clear_per_network(db_manager):
    db = db_manager.database
    store = NetworkStatuses(db, "flat_dhcp")
    long_error = "network interface eth1 not found " * 100
    store.set("7", "host-a", ERROR, long_error)
    store.set("7", "host-b", ACTIVE)
    store.set("7", "host-a", ERROR, "network interface eth2 not found")
    NetworkStatuses(db, "vlan").set("7", "host-a", ACTIVE)
    assert sorted(store.read(["7"])["7"], key=lambda r: r.host) == [
        HostStatus("host-a", ERROR, "network interface eth2 not found"),
        HostStatus("host-b", ACTIVE),
    ]
    store.set("8", "host-a", ERROR, long_error)
    assert len(store.read(["8"])["8"][0].error) == 1024
    with db.write_connection() as conn:
        clear(conn, "flat_dhcp", 7)
    assert store.read(["7"]) == {}
    assert NetworkStatuses(db, "vlan").read(["7"]) == {"7": [HostStatus("host-a", ACTIVE)]}
