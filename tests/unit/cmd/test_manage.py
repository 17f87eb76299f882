"""netservice-manage: project association, db sync, service list."""

from __future__ import annotations

import subprocess

import pytest

from netservice.cmd import manage
from netservice.core.programs import script
from netservice.testing.client import ApiClient


def run(config_file, *argv):
    return manage.main(["--config-file", config_file, *argv])


def test_set_then_get_through_the_console_script(config_file):
    done = subprocess.run(
        [
            script("netservice-manage"),
            "--config-file",
            config_file,
            "project",
            "network_set",
            "p1",
            "test_other",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = subprocess.run(
        [
            script("netservice-manage"),
            "--config-file",
            config_file,
            "project",
            "network_get",
            "p1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (got.returncode, got.stdout) == (0, "test_other\n")


def test_get_prints_none_without_association(config_file, capsys):
    assert run(config_file, "project", "network_get", "p9") == 0
    assert capsys.readouterr().out == "None\n"


def test_unloaded_service_exits_nonzero_naming_loaded_ones(config_file, capsys):
    assert run(config_file, "project", "network_set", "p1", "vlan") == 1
    err = capsys.readouterr().err
    assert "'vlan' is not a loaded network service" in err and "loaded: test, test_other" in err


@pytest.mark.parametrize("bad", ["bad id", ".x", "p/1", "x" * 256])
def test_malformed_project_id(config_file, capsys, bad):
    assert run(config_file, "project", "network_set", bad, "test") == 1
    assert "'project_id'" in capsys.readouterr().err
    assert run(config_file, "project", "network_get", bad) == 1


def test_change_with_resources_needs_force(config_file, app, capsys):
    vnic = ApiClient(app, "p1").post("/v1.0/test/vnics", {"vnic": {"label": "a"}})
    assert vnic.status == 201
    assert run(config_file, "project", "network_set", "p1", "test_other") == 1
    err = capsys.readouterr().err
    assert "1 vnics" in err and "orphan" in err and "force" in err
    assert run(config_file, "project", "network_get", "p1") == 0
    assert capsys.readouterr().out == "None\n"  # nothing was written
    assert run(config_file, "project", "network_set", "p1", "test_other", "--force") == 0
    capsys.readouterr()
    assert run(config_file, "project", "network_get", "p1") == 0
    assert capsys.readouterr().out == "test_other\n"


def test_db_sync_is_idempotent(config_file, capsys):
    assert run(config_file, "db", "sync") == 0
    assert run(config_file, "db", "sync") == 0
    out = capsys.readouterr().out
    assert out.count("core: up to date") == 2 and "testplugin: up to date" in out


def test_service_list(config_file, capsys):
    assert run(config_file, "service", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:2] == ["test", "yes"]
    assert lines[2].split()[0] == "test_other"


def test_bad_service_list_exits_nonzero(tmp_path, capsys):
    from netservice.testing.config import write_config

    path = write_config(str(tmp_path), ["test", "nosuch"], default="test")
    assert run(path, "service", "list") == 1
    assert "Network service entry 'nosuch'" in capsys.readouterr().err


def test_usage_errors_exit_2(config_file):
    with pytest.raises(SystemExit) as info:
        run(config_file, "project", "frobnicate")
    assert info.value.code == 2


@pytest.mark.parametrize(
    "path",
    [
        "netservice_testplugin.plugin:OtherTestPlugin",
        "netservice_testplugin.plugin.OtherTestPlugin",
    ],
)
def test_set_accepts_a_plugin_path_and_stores_its_name(config_file, capsys, path):
    assert run(config_file, "project", "network_set", "p1", path) == 0
    assert capsys.readouterr().out == "project p1: network service test_other\n"
    assert run(config_file, "project", "network_get", "p1") == 0
    assert capsys.readouterr().out == "test_other\n"


def test_set_with_a_path_that_does_not_import_exits_1(config_file, capsys):
    assert run(config_file, "project", "network_set", "p1", "nosuch_module.x") == 1
    err = capsys.readouterr().err
    assert "'nosuch_module.x'" in err and "does not import" in err


@pytest.mark.parametrize(
    "entry", ["netservice_testplugin.plugin", "netservice_testplugin.models", "nosuch_module.x"]
)
def test_a_bad_module_path_in_the_service_list_stops_with_one_line(tmp_path, capsys, entry):
    from netservice.testing.config import write_config

    config_file = write_config(str(tmp_path), [entry], default="test")
    assert manage.main(["--config-file", config_file, "service", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"'{entry}'" in err and "nova-network.conf:" in err
def test_db_version_history_and_upgrade_to_a_revision(config_file, capsys):
    assert run(config_file, "db", "history") == 0
    history = capsys.readouterr().out
    assert "core:\n" in history and "<base> -> core_0001," in history
    assert "testplugin:\n" in history
    assert run(config_file, "db", "version") == 0
    assert "core: none (head is " in capsys.readouterr().out
    assert run(config_file, "db", "upgrade", "core_0001") == 0
    assert capsys.readouterr().out == "core: at core_0001\n"
    assert run(config_file, "db", "version", "--branch", "core") == 0
    out = capsys.readouterr().out
    assert out.startswith("core: core_0001 (head is ") and "testplugin" not in out
    assert run(config_file, "db", "upgrade") == 0
    assert run(config_file, "db", "version") == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out if line.endswith("(head)")] == [
        "core",
        "testplugin",
    ]


def test_db_commands_name_an_unknown_branch_or_revision(config_file, capsys):
    assert run(config_file, "db", "version", "--branch", "nope") == 1
    assert "--branch nope: no such migration branch; the branches are core, testplugin" in (
        capsys.readouterr().err
    )
    assert run(config_file, "db", "upgrade", "nope_0001") == 1
    assert "revision 'nope_0001' is in no migration branch" in capsys.readouterr().err


def test_db_upgrade_sql_prints_sql_and_touches_no_database(tmp_path, capsys):
    from netservice.testing.config import write_config

    # Nothing listens there: --sql must not try to connect.
    path = write_config(
        str(tmp_path),
        ["test"],
        default="test",
        connection="postgresql+psycopg://nobody@127.0.0.1:9/none",
        extra={"database": {"connect_retries": 0}},
    )
    assert run(path, "db", "upgrade", "--sql") == 0
    out = capsys.readouterr().out
    assert "CREATE TABLE netservice_alembic_version" in out
    assert "id SERIAL NOT NULL" in out  # PostgreSQL's dialect
    assert "INSERT INTO testplugin_alembic_version" in out
    assert run(path, "db", "upgrade", "core_0001:core_0002", "--sql") == 0
    out = capsys.readouterr().out
    assert "Running upgrade core_0001 -> core_0002" in out
    assert "CREATE TABLE project_network_services" not in out  # core_0001 is already there
