"""The one writer path: reads cannot write, and nothing opens its own transactions.

``Database.transaction()`` refuses writes at run time (so every test that
drives a service write through it fails), and the static checks below find
the code that no test drives: any module that opens connections or sessions
itself, and any unit of work that opens a write transaction without
retrying a lost deadlock.
"""

from __future__ import annotations

import ast
import pathlib

import pytest
import sqlalchemy as sa

from netservice.core.db.session import Database, WriteOutsideWriter

ROOT = pathlib.Path(__file__).resolve().parents[4]
SOURCES = [ROOT / "netservice", *sorted((ROOT / "plugins").glob("*/netservice_*"))]

# Modules that may open connections or sessions on an engine themselves.
OWN_CONNECTIONS = {
    "netservice/core/db/session.py": "the writer path itself",
    "netservice/core/db/migration.py": "alembic's DDL, one transaction per branch",
    "netservice/floating/locking.py": "MariaDB's GET_LOCK belongs to a connection; "
    "the transaction on it is Database.writer(conn)",
    "netservice/testing/databases.py": "creates and drops test databases",
}
# Calls that open a write transaction, and the context managers that wrap them.
WRITE_OPENERS = {"writer", "write_connection", "write_session"}
WRITES_HELPERS = {"session", "connection"}  # ``self.writes.session()``, ``.connection()``
OPENER_DEFINITIONS = {
    ("netservice/networks/writes.py", "connection"),
    ("netservice/networks/writes.py", "session"),
    ("netservice/floating/locking.py", "write_session"),
}
RAW_OPENERS = {"connect", "begin", "raw_connection"}


@pytest.fixture
def db():
    database = Database("sqlite://")
    with database.writer() as session:
        session.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    yield database
    database.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO t (v) VALUES ('a')",
        "  update t SET v = 'b'",
        "DELETE FROM t",
        "REPLACE INTO t (id, v) VALUES (1, 'c')",
    ],
)
def test_a_write_in_a_read_transaction_is_refused_before_it_runs(db, statement):
    with pytest.raises(WriteOutsideWriter, match="read-only"), db.transaction() as session:
        session.execute(sa.text(statement))
    with db.transaction() as session:
        assert session.scalar(sa.text("SELECT count(*) FROM t")) == 0


def test_an_orm_flush_in_a_read_transaction_is_refused(db):
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("v", sa.Text))  # fmt: skip
    with pytest.raises(WriteOutsideWriter), db.transaction() as session:
        session.execute(sa.insert(table).values(v="x"))


def test_writers_and_autocommit_statements_write(db):
    with db.writer() as session:
        session.execute(sa.text("INSERT INTO t (v) VALUES ('w')"))
    with db.write_connection() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES ('c')"))
    with db.autocommit_connection() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES ('a')"))
    with db.transaction() as session:
        assert sorted(session.scalars(sa.text("SELECT v FROM t"))) == ["a", "c", "w"]


def test_sqlite_autocommit_statements_commit_one_by_one(tmp_path):
    """No BEGIN around them: another connection sees the first before the block ends."""
    database = Database(f"sqlite:///{tmp_path}/a.sqlite")
    with database.writer() as session:
        session.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    with database.autocommit_connection() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES ('one')"))
        with database.transaction() as other:
            assert other.scalar(sa.text("SELECT count(*) FROM t")) == 1
    database.dispose()


def _modules():
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(), str(path))


def _called_name(call: ast.AST) -> tuple[str | None, ast.AST | None]:
    if not isinstance(call, ast.Call):
        return None, None
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr, func.value
    if isinstance(func, ast.Name):
        return func.id, None
    return None, None


def _opens_write(item: ast.withitem) -> bool:
    name, owner = _called_name(item.context_expr)
    if name in WRITE_OPENERS:
        return True
    return name in WRITES_HELPERS and isinstance(owner, ast.Attribute) and owner.attr == "writes"


def test_no_module_opens_its_own_connections_or_sessions():
    """Everything else goes through Database's reader, writers and autocommit."""
    found = []
    for rel, tree in _modules():
        if rel in OWN_CONNECTIONS:
            continue
        for node in ast.walk(tree):
            name, owner = _called_name(node)
            on_engine = isinstance(owner, ast.Attribute) and owner.attr == "engine"
            if (name in RAW_OPENERS and on_engine) or name in ("Session", "sessionmaker"):
                found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    assert not found, "open transactions through netservice.core.db.session.Database:\n" + (
        "\n".join(found)
    )


def test_every_unit_of_work_that_writes_retries_a_lost_deadlock():
    """A function that opens a write transaction is decorated with ``retry_on_deadlock``."""
    missing, units = [], 0
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or (rel, node.name) in OPENER_DEFINITIONS:
                continue
            writes = [
                w for w in ast.walk(node) if isinstance(w, ast.With) and any(
                    _opens_write(i) for i in w.items)
            ]  # fmt: skip
            if not writes:
                continue
            units += 1
            decorators = {ast.unparse(d).rsplit(".", 1)[-1] for d in node.decorator_list}
            if "retry_on_deadlock" not in decorators:
                missing.append(f"{rel}:{node.lineno} {node.name}")
    assert units > 20  # the scan sees the service layer
    assert not missing, "write units without @retry_on_deadlock:\n" + "\n".join(missing)
