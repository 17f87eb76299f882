"""Start-up: a database that does not answer, and one line for any failure."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap, exceptions
from netservice.core.db.session import Database


def test_wait_for_database_counts_down_then_gives_up():
    database = Database("postgresql+psycopg://nobody:pw@127.0.0.1:1/none")
    out, slept = io.StringIO(), []
    with pytest.raises(exceptions.ConfigurationError) as caught:
        bootstrap.wait_for_database(database, retries=2, interval=3, out=out, sleep=slept.append)
    assert slept == [3, 3]
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "retrying in 3 s (2 attempt(s) left)" in lines[0]
    assert "pw" not in out.getvalue() and "pw@" not in str(caught.value)
    assert "after 3 attempt(s)" in str(caught.value)


def test_wait_for_database_returns_at_once_when_it_answers(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/db.sqlite")
    out = io.StringIO()
    bootstrap.wait_for_database(database, retries=5, interval=1, out=out, sleep=pytest.fail)
    assert out.getvalue() == ""


def test_describe_failure_is_one_line():
    assert bootstrap.describe_failure(exceptions.NotFound("gone")) == "gone"
    err = sa.exc.OperationalError("SELECT", {}, Exception("server closed\nthe connection"))
    assert bootstrap.describe_failure(err).startswith("database error: server closed")
    assert "\n" not in bootstrap.describe_failure(RuntimeError("a\nb"))
