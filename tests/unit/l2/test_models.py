"""The models agree with the frozen first migration."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from netservice_l2.models import Base


def test_the_models_match_the_frozen_first_migration(plugin):
    tables = set(Base.metadata.tables)
    ours = {"include_name": lambda name, kind, _: kind != "table" or name in tables}
    with plugin.context.database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=ours), Base.metadata)
    assert diff == []
