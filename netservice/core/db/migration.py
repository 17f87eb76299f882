"""Alembic branches: the core's and one per plugin, each with its own version table.

Every branch is a plain alembic script directory whose ``env.py`` calls
``run_env(metadata)``.  ``upgrade`` runs them programmatically on the
``Database``'s engine, so no ``alembic.ini`` is needed.
"""

from __future__ import annotations

import dataclasses
import logging
import os

import sqlalchemy as sa
from alembic import command
from alembic import context as alembic_context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from netservice.core.db.session import Database

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class MigrationBranch:
    """One alembic script directory and the table that records its revision."""

    name: str
    script_location: str
    version_table: str


CORE_BRANCH = MigrationBranch(
    name="core",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="netservice_alembic_version",
)


def _config(branch: MigrationBranch, connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", branch.script_location)
    config.attributes["connection"] = connection
    config.attributes["version_table"] = branch.version_table
    return config


def upgrade(database: Database, branch: MigrationBranch, revision: str = "heads") -> None:
    """Upgrade ``branch`` to ``revision``.  Idempotent: at head it does nothing."""
    with database.engine.begin() as connection:
        command.upgrade(_config(branch, connection), revision)
    LOG.info("database branch %s is at %s", branch.name, revision)


def pending(database: Database, branch: MigrationBranch) -> bool:
    """Whether ``branch`` has revisions the database has not applied."""
    with database.engine.connect() as connection:
        script = ScriptDirectory.from_config(_config(branch, connection))
        ctx = MigrationContext.configure(connection, opts={"version_table": branch.version_table})
        return set(ctx.get_current_heads()) != set(script.get_heads())


def run_env(target_metadata: sa.MetaData) -> None:
    """The body of every branch's ``env.py``: online migrations only."""
    config = alembic_context.config
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "netservice migrations run through 'netservice-manage db sync', not the alembic CLI"
        )
    alembic_context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=config.attributes["version_table"],
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with alembic_context.begin_transaction():
        alembic_context.run_migrations()
