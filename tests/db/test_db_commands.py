"""netservice-manage db version|history|upgrade on SQLite, PostgreSQL and MariaDB,
and the SQL of ``db upgrade --sql`` run by hand, as a DBA would."""

from __future__ import annotations

import sqlalchemy as sa
from netservice_testplugin import plugin as testplugin

from netservice.cmd import manage
from netservice.core import bootstrap
from netservice.core.db import migration
from netservice.testing.config import make_conf

CORE_HEAD = migration.heads(migration.CORE_BRANCH)[0]
TESTPLUGIN_HEAD = migration.heads(testplugin.BRANCH)[0]


def run(config_file, *argv):
    return manage.main(["--config-file", config_file, *argv])


def test_upgrade_step_by_step_and_version(db_config_file, capsys):
    assert run(db_config_file, "db", "version") == 0
    assert f"core: none (head is {CORE_HEAD}:" in capsys.readouterr().out
    assert run(db_config_file, "db", "upgrade", "core_0001") == 0
    assert run(db_config_file, "db", "version", "--branch", "core") == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("core: core_0001 (head is ")
    assert run(db_config_file, "db", "upgrade") == 0
    assert run(db_config_file, "db", "upgrade") == 0  # at head: nothing to do
    capsys.readouterr()
    assert run(db_config_file, "db", "version") == 0
    assert capsys.readouterr().out.splitlines() == [
        f"core: {CORE_HEAD} (head)",
        f"testplugin: {TESTPLUGIN_HEAD} (head)",
    ]


def _statements(sql: str) -> list[str]:
    """The statements of the printed SQL, without comments and transaction control."""
    found = []
    for chunk in sql.split(";\n"):
        text = "\n".join(
            line for line in chunk.splitlines() if line.strip() and not line.startswith("--")
        ).strip()
        if text and text.upper() not in ("BEGIN", "COMMIT", "START TRANSACTION"):
            found.append(text)
    return found


def test_the_sql_a_dba_runs_gives_the_schema_db_sync_gives(db_config_file, capsys):
    assert run(db_config_file, "db", "upgrade", "--sql") == 0
    statements = _statements(capsys.readouterr().out)
    assert any(s.startswith("CREATE TABLE network_statuses") for s in statements)
    manager = bootstrap.open_services(make_conf(db_config_file))
    try:
        with manager.database.engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        # The schema check netservice-api makes at start-up passes.
        bootstrap.check_schema(manager)
        tables = set(sa.inspect(manager.database.engine).get_table_names())
        assert {"project_network_services", "network_statuses", "netservice_alembic_version"} <= (
            tables
        )
    finally:
        manager.database.dispose()
    assert run(db_config_file, "db", "version") == 0
    assert "(head is" not in capsys.readouterr().out
