"""Each branch's migrations build exactly the schema its ORM models declare.

A fresh database is migrated to the branch's head and alembic's
``compare_metadata`` lists what differs from the models (tables, columns,
types, nullability, indexes, unique and foreign key constraints).  The first
migrations are frozen DDL, so a model changed without a new revision, or a
migration that drifted, fails here, on SQLite and (CI=true) PostgreSQL and
MariaDB.
"""

from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from netservice.core.db import migration
from netservice.core.db.session import Database

# branch name: (module holding BRANCH, module holding the declarative Base)
BRANCHES = {
    "core": ("netservice.core.db.migration:CORE_BRANCH", "netservice.core.db.models:CoreBase"),
    "flat": ("netservice_flat.plugin:BRANCH", "netservice_flat.models:Base"),
    "flat_dhcp": ("netservice_flat_dhcp.plugin:BRANCH", "netservice_flat_dhcp.models:Base"),
    "vlan": ("netservice_vlan.plugin:BRANCH", "netservice_vlan.models:Base"),
    "testplugin": ("netservice_testplugin.plugin:BRANCH", "netservice_testplugin.models:Base"),
    "l2": ("netservice_l2.plugin:BRANCH", "netservice_l2.models:Base"),
}


def _load(ref: str):
    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)


def schema_diff(url: str, branch_ref: str, metadata: sa.MetaData) -> list:
    """``compare_metadata`` of ``metadata`` against ``url`` migrated to the branch's head."""
    branch = _load(branch_ref)
    database = Database(url)
    try:
        migration.upgrade(database, branch)
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    # Other branches' tables and the version tables are not the models'.
                    "include_name": lambda name, kind, parent: (
                        kind != "table" or name in metadata.tables
                    ),
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        database.dispose()


@pytest.mark.parametrize("name", sorted(BRANCHES))
def test_the_migrated_schema_is_the_models(db_url, name):
    branch, base = BRANCHES[name]
    diff = schema_diff(db_url, branch, _load(base).metadata)
    assert diff == [], f"{name}: models and migrations differ: {diff}"


def test_a_model_that_drifted_from_its_migration_is_reported(tmp_path):
    """The check can fail: a column the migration never made shows up."""
    branch, base = BRANCHES["flat"]
    drifted = sa.MetaData()
    for table in _load(base).metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["flat_networks"].append_column(sa.Column("drifted", sa.Integer))
    diff = schema_diff(f"sqlite:///{tmp_path}/db.sqlite", branch, drifted)
    assert [d[0] for d in diff] == ["add_column"], diff
    assert diff[0][3].name == "drifted"
