"""Alembic branches: the core's and one per plugin, each with its own version table.

Every branch is a plain alembic script directory whose ``env.py`` calls
``run_env(metadata)``.  ``upgrade`` runs them programmatically on the
``Database``'s engine, so no ``alembic.ini`` is needed; ``upgrade_sql``
writes the SQL instead (alembic's offline mode), for a DBA to review and run.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import TextIO

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


@dataclasses.dataclass(frozen=True)
class Revision:
    """One revision of a branch, as ``db history`` lists it."""

    revision: str
    down_revision: str | None
    doc: str
    is_head: bool


def _config(branch: MigrationBranch, connection: sa.Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", branch.script_location)
    config.attributes["connection"] = connection
    config.attributes["version_table"] = branch.version_table
    return config


def _script(branch: MigrationBranch) -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(branch, None))


def heads(branch: MigrationBranch) -> tuple[str, ...]:
    """The revisions at the tip of ``branch``'s scripts (no database needed)."""
    return tuple(sorted(_script(branch).get_heads()))


def current(database: Database, branch: MigrationBranch) -> tuple[str, ...]:
    """The revisions the database records for ``branch``; empty before its first upgrade."""
    with database.engine.connect() as connection:
        ctx = MigrationContext.configure(connection, opts={"version_table": branch.version_table})
        return tuple(sorted(ctx.get_current_heads()))


def history(branch: MigrationBranch) -> list[Revision]:
    """``branch``'s revisions, newest first (no database needed)."""
    return [
        Revision(
            revision=script.revision,
            down_revision=script.down_revision
            if isinstance(script.down_revision, str) or script.down_revision is None
            else ",".join(script.down_revision),
            doc=(script.doc or "").strip().splitlines()[0] if script.doc else "",
            is_head=script.is_head,
        )
        for script in _script(branch).walk_revisions()
    ]


def has_revision(branch: MigrationBranch, revision: str) -> bool:
    """Whether ``revision`` (an id, or ``base``/``head``/``heads``) names one of ``branch``'s."""
    if revision in ("base", "head", "heads"):
        return True
    try:
        return _script(branch).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def upgrade(database: Database, branch: MigrationBranch, revision: str = "heads") -> None:
    """Upgrade ``branch`` to ``revision``.  Idempotent: at head it does nothing."""
    with database.engine.begin() as connection:
        command.upgrade(_config(branch, connection), revision)
    LOG.info("database branch %s is at %s", branch.name, revision)


def upgrade_sql(
    database: Database, branch: MigrationBranch, out: TextIO, revision: str = "heads"
) -> None:
    """Write the SQL that upgrades ``branch`` to ``revision`` to ``out``; touch no database.

    ``revision`` may be a range ``FROM:TO`` (for a database already at FROM);
    otherwise the SQL starts from an empty schema.  The SQL is in the dialect
    of ``database``'s URL.
    """
    config = _config(branch, None)
    config.attributes["url"] = database.url
    config.attributes["output_buffer"] = out
    command.upgrade(config, revision, sql=True)


def pending(database: Database, branch: MigrationBranch) -> bool:
    """Whether ``branch`` has revisions the database has not applied."""
    with database.engine.connect() as connection:
        script = ScriptDirectory.from_config(_config(branch, connection))
        ctx = MigrationContext.configure(connection, opts={"version_table": branch.version_table})
        return set(ctx.get_current_heads()) != set(script.get_heads())


def run_env(target_metadata: sa.MetaData) -> None:
    """The body of every branch's ``env.py``: online, or offline for ``upgrade_sql``."""
    config = alembic_context.config
    if alembic_context.is_offline_mode():
        alembic_context.configure(
            url=config.attributes["url"],
            target_metadata=target_metadata,
            version_table=config.attributes["version_table"],
            literal_binds=True,
            output_buffer=config.attributes["output_buffer"],
        )
        with alembic_context.begin_transaction():
            alembic_context.run_migrations()
        return
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
