"""Database errors become domain errors once, whatever the caller; on SQLite.

The server engines' cases (a killed connection, a server that is down) are
in tests/db/test_db_errors.py.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.session import Database
from netservice.core.wsgi import faults


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/e.sqlite")
    with database.writer() as session:
        session.execute(sa.text("CREATE TABLE p (id INTEGER PRIMARY KEY)"))
        session.execute(
            sa.text(
                "CREATE TABLE c (id INTEGER PRIMARY KEY, mac TEXT UNIQUE, "
                "p_id INTEGER REFERENCES p(id))"
            )
        )
        session.execute(sa.text("INSERT INTO p (id) VALUES (1)"))
        session.execute(sa.text("INSERT INTO c (mac, p_id) VALUES ('fa:16:3e:00:00:01', 1)"))
    yield database
    database.dispose()


def test_a_taken_unique_value_is_a_conflict_naming_the_column(db):
    with pytest.raises(exceptions.DuplicateEntry, match="mac") as caught:
        with db.writer() as session:
            session.execute(sa.text("INSERT INTO c (mac, p_id) VALUES ('fa:16:3e:00:00:01', 1)"))
    assert faults.status_for(caught.value) == 409


def test_a_missing_reference_is_a_conflict(db):
    with pytest.raises(exceptions.ReferenceNotFound) as caught:
        with db.write_connection() as conn:
            conn.execute(sa.text("INSERT INTO c (mac, p_id) VALUES ('x', 99)"))
    assert faults.status_for(caught.value) == 409


def test_a_reader_that_cannot_become_a_writer_is_a_retryable_conflict(db):
    """SQLITE_BUSY_SNAPSHOT: what a deferred transaction that read, then writes, meets."""
    with db.engine.connect() as conn:  # a deferred transaction, as no service opens one
        conn.execute(sa.text("SELECT count(*) FROM c")).all()
        with db.writer() as session:
            session.execute(sa.text("INSERT INTO c (mac) VALUES ('other')"))
        with pytest.raises(exceptions.ConcurrentUpdate) as caught:
            conn.execute(sa.text("INSERT INTO c (mac) VALUES ('late')"))
    assert faults.status_for(caught.value) == 409


def test_a_database_that_cannot_be_opened_is_unavailable_with_retry_after(tmp_path):
    os.makedirs(tmp_path / "a-directory")
    database = Database(f"sqlite:///{tmp_path}/a-directory")
    with pytest.raises(exceptions.DatabaseUnavailable) as caught:
        with database.transaction() as session:
            session.execute(sa.text("SELECT 1"))
    error = caught.value
    assert faults.status_for(error) == 503
    assert faults.headers_for(error, 503) == {"Retry-After": str(error.retry_after)}
    assert "retry in" in error.message
    database.dispose()


def test_only_a_503_that_says_when_carries_retry_after():
    assert faults.headers_for(exceptions.ServiceUnavailable(reason="no kernel"), 503) == {}
    assert faults.headers_for(exceptions.ConcurrentUpdate(reason="x"), 409) == {}
