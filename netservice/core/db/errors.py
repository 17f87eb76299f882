"""What a database error means, decided once for every caller.

oslo.db's exception filters (``oslo_db.sqlalchemy.exc_filters``) turn each
engine's driver errors into its portable ones (``DBDeadlock``,
``DBDuplicateEntry``, ``DBConnectionError``, ...).  The listener registered
after them here turns those into the project's domain errors, which the REST
fault table maps to a status:

- a lost connection, or a server that cannot be reached:
  ``DatabaseUnavailable`` (503, with ``Retry-After``);
- a deadlock, a lock wait timeout or a serialisation failure:
  ``ConcurrentUpdate`` (409), which ``netservice.core.db.retry`` retries
  first;
- a unique or foreign key refusing a row: ``DuplicateEntry`` and
  ``ReferenceNotFound`` (409, naming what is taken or missing);
- a value the column cannot hold: ``ValueOutOfRange`` (400).

Anything else stays oslo.db's ``DBError``: a bug, answered 500.

oslo.db does not know two cases, classified here instead: SQLite's
"database is locked" (a writer that waited ``busy_timeout`` in vain is
unavailable; a snapshot that cannot be upgraded, ``SQLITE_BUSY_SNAPSHOT``,
is a serialisation failure), PostgreSQL's serialisation failure
(SQLSTATE 40001), which oslo.db leaves as a bare ``OperationalError``, and
PostgreSQL's exclusion violation (23P01), a registry claim that lost a race.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import exc_filters
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from netservice.core import exceptions

LOG = logging.getLogger(__name__)

_SQLITE_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8)
# 23P01, an exclusion constraint's refusal, is retryable: only the registry has
# one (core_0003), and it fires when a concurrent claim committed first; run
# again, the claim's own check sees the winner and answers a 409 naming it.
_PG_RETRYABLE = frozenset({"40001", "40P01", "55P03", "23P01"})
# Connection exceptions (class 08) and a server shutting down or restarting.
_PG_UNAVAILABLE_PREFIXES = ("08", "57P")


def classify_errors(engine: sa.Engine) -> None:
    """Classify the engine's errors: oslo.db's filters, then the domain errors.

    One listener that calls oslo.db's ``exc_filters.handler`` rather than
    ``exc_filters.register_engine``: its filters re-raise the errors they
    leave alone (a plain ``OperationalError``), which would end SQLAlchemy's
    chain of ``handle_error`` listeners before a second one could look.
    """
    event.listen(engine, "handle_error", _to_domain_error, retval=True)


def _to_domain_error(ctx: sa.engine.ExceptionContext) -> BaseException | None:
    if getattr(ctx, "is_pre_ping", False):
        return None  # SQLAlchemy's pre-ping only needs ``is_disconnect``
    original = ctx.original_exception
    if not isinstance(original, Exception):
        return None
    if _is_ours(original):
        return original
    try:
        portable = exc_filters.handler(ctx)
    except Exception as left_alone:  # oslo.db re-raises what it does not translate
        portable = left_alone
    error = portable or ctx.sqlalchemy_exception or original
    reason = first_line(original)
    if _unavailable(ctx, error, original):
        ctx.is_disconnect = ctx.is_disconnect or isinstance(error, db_exc.DBConnectionError)
        LOG.warning("database unavailable: %s", reason)
        return exceptions.DatabaseUnavailable(reason=reason)
    if _retryable(error, original):
        return exceptions.ConcurrentUpdate(reason=reason)
    return _refused(ctx.sqlalchemy_exception if _is_data_error(ctx) else error, reason)


def _refused(error: Any, reason: str) -> exceptions.NetserviceError | None:
    """A row or value the schema refused; None for anything else (a bug: 500)."""
    if isinstance(error, db_exc.DBDuplicateEntry):
        return exceptions.DuplicateEntry(what=_taken(error))
    if isinstance(error, db_exc.DBReferenceError):
        return exceptions.ReferenceNotFound(table=error.key_table or error.table or "row")
    if isinstance(error, (db_exc.DBDataError, db_exc.DBInvalidUnicodeParameter, sa_exc.DataError)):
        return exceptions.ValueOutOfRange(reason=reason)
    return None


def _is_data_error(ctx: sa.engine.ExceptionContext) -> bool:
    """PostgreSQL's out-of-range integer or NUL in text: oslo.db leaves it a bare DBError."""
    return isinstance(ctx.sqlalchemy_exception, sa_exc.DataError)


def _is_ours(error: Exception) -> bool:
    """Errors raised on purpose inside a statement's events pass through untouched."""
    from netservice.core.db import session  # noqa: PLC0415 - session imports this module

    return isinstance(error, (exceptions.NetserviceError, session.WriteOutsideWriter))


def _unavailable(ctx: sa.engine.ExceptionContext, error: Any, original: Exception) -> bool:
    if ctx.is_disconnect or isinstance(error, db_exc.DBConnectionError):
        return True
    if ctx.connection is None and isinstance(original, _dbapi_errors(ctx, "OperationalError")):
        return True  # connecting failed: the server is down or unreachable
    sqlstate = getattr(original, "sqlstate", None) or ""
    if sqlstate.startswith(_PG_UNAVAILABLE_PREFIXES):
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code != _SQLITE_BUSY_SNAPSHOT and _sqlite_locked(original)


def _retryable(error: Any, original: Exception) -> bool:
    if isinstance(error, (db_exc.DBDeadlock, db_exc.DBConsistencyError)):
        return True
    if getattr(original, "sqlstate", None) in _PG_RETRYABLE:
        return True
    return getattr(original, "sqlite_errorcode", None) == _SQLITE_BUSY_SNAPSHOT or (
        _sqlite_locked(original) and getattr(original, "sqlite_errorcode", None) is None
    )


def _sqlite_locked(original: Exception) -> bool:
    text = str(original)
    return type(original).__module__.startswith("sqlite3") and (
        "database is locked" in text or "database table is locked" in text
    )


def _dbapi_errors(ctx: sa.engine.ExceptionContext, name: str) -> type[Exception]:
    dbapi = getattr(ctx.dialect, "loaded_dbapi", None)
    found = getattr(dbapi, name, None)
    return found if isinstance(found, type) else sa_exc.OperationalError


def _taken(error: db_exc.DBDuplicateEntry) -> str:
    columns = [c for c in (error.columns or []) if c != "deleted"] or ["a unique key"]
    value = error.value
    named = ", ".join(columns)
    return f"{named} {value!r}" if value not in (None, "") else f"the same {named}"


def first_line(error: BaseException) -> str:
    """The error's first line, short: what a client is told about the database's failure."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
