from __future__ import annotations

import types

import pytest
import sqlalchemy as sa

from netservice.floating import locking


def _dialect(name, version, mariadb=False):
    return types.SimpleNamespace(name=name, server_version_info=version, is_mariadb=mariadb)


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (_dialect("postgresql", (12, 0)), True),
        (_dialect("mysql", (10, 11, 19), mariadb=True), True),
        (_dialect("mysql", (10, 5, 1), mariadb=True), False),
        (_dialect("mysql", (8, 0, 36)), True),
        (_dialect("mysql", (5, 7, 44)), False),
        (_dialect("sqlite", (3, 45, 0)), False),
    ],
)
def test_skip_locked_support(dialect, expected):
    assert locking.supports_skip_locked(dialect) is expected


def test_advisory_keys_are_signed_64_bit_and_stable():
    key = locking._advisory_key("nsfip_" + "f" * 32)
    assert key == -1
    assert locking._advisory_key("nsfip_" + "0" * 31 + "1") == 1
    assert -(2**63) <= locking._advisory_key("nsfip_" + "9" * 32) < 2**63


def test_on_sqlite_a_lock_name_is_a_plain_writer(db):
    with locking.write_session(db, "nsfip_" + "0" * 32, project_id="alice") as session:
        assert session.execute(sa.text("SELECT 1")).scalar() == 1
    with pytest.raises(RuntimeError), locking.write_session(db) as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        raise RuntimeError("rolled back")
    with db.writer() as session:
        assert "t" not in sa.inspect(session.connection()).get_table_names()
