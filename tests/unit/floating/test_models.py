from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from netservice.core import exceptions
from netservice.core.db.session import Database
from netservice.floating import models
from tests.unit.floating import schema


def test_the_model_matches_what_the_migration_helpers_create(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/migrated.sqlite")
    schema.migration_metadata().create_all(database.engine)
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.Base.metadata)
    database.dispose()
    assert diff == []


def test_names_carry_the_table_prefix():
    table = schema.FloatingIp.__table__
    assert {i.name for i in table.indexes} == {
        name for name, _ in models.floating_ip_indexes(schema.FLOATING_IPS)
    }
    assert all(
        name.startswith("fiptest_floating_ips_") for name in (i.name for i in table.indexes)
    )
    (fk,) = table.c.fixed_ip_id.foreign_keys
    assert fk.target_fullname == "fiptest_fixed_ips.id"
    assert (fk.name, fk.ondelete) == ("fiptest_floating_ips_fixed_ip_fk", "SET NULL")


def test_the_first_free_index_leads_with_pool_and_ends_with_the_address():
    (_, columns), *_ = models.floating_ip_indexes("t")
    assert columns == ["pool", "deleted", "project_id", "address_int"]


def _insert(session, address_int, deleted=0):
    session.execute(
        sa.insert(schema.FloatingIp.__table__).values(
            address="x", address_int=address_int, pool="nova", auto_assigned=False, deleted=deleted
        )
    )


def test_one_live_row_per_address(db):
    with db.writer() as session:
        _insert(session, 1)
        _insert(session, 1, deleted=7)  # soft-deleted rows do not count
    with pytest.raises(exceptions.DuplicateEntry), db.writer() as session:
        _insert(session, 1)


def test_defaults(db):
    with db.writer() as session:
        session.add(schema.FloatingIp(address="192.0.2.1", address_int=1))
    with db.writer() as session:
        row = session.scalars(sa.select(schema.FloatingIp)).one()
    assert (row.pool, row.auto_assigned, row.deleted, row.project_id) == ("nova", False, 0, None)
    assert row.created_at is not None


def test_deleting_a_fixed_ip_row_leaves_the_floating_ip_unassociated(db, floating, pool, fixed):
    from tests.unit.floating.conftest import ALICE

    address = floating.allocate(ALICE).address
    fixed_address = fixed()
    floating.associate(ALICE, address, fixed_address, "net-host")
    with db.writer() as session:
        session.execute(sa.delete(schema.FixedIp.__table__))
    assert floating.get_floating_ip_by_address(address).fixed_ip_id is None
