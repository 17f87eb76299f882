"""Retrying a unit of work that lost a deadlock, a bounded number of times.

Two transactions that lock the same rows in different orders, MariaDB's gap
locks, a PostgreSQL serialisation failure: the database aborts one of them
(``ConcurrentUpdate``, see ``netservice.core.db.errors``) and running it again
usually succeeds.  ``retry_on_deadlock`` is oslo.db's ``wrap_db_retry``,
configured once for the project:

- at most ``MAX_RETRIES`` (5) more attempts, so at most 6 in all: the loop
  counts attempts down and re-raises the last ``ConcurrentUpdate`` when none
  is left, whatever the database does, so it terminates;
- sleeping a random time below 0.05, 0.1, 0.2, 0.4 then 0.8 seconds between
  them (jitter, so the colliding transactions do not meet again), under
  1.6 seconds in all; each attempt is itself bounded by the server's lock
  timeouts (SQLite's ``busy_timeout``, InnoDB's lock wait timeout);
- only the outermost unit of work retries.  A decorated function called
  inside another's open write transaction re-raises at once: its
  transaction is gone and only the caller can run it again.

After the last attempt the ``ConcurrentUpdate`` reaches the caller, a 409.
A lost connection is not retried (``DatabaseUnavailable``, 503): a commit
whose answer was lost may have happened, and running a create again would
create twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

from oslo_db import api as oslo_db_api

from netservice.core import exceptions
from netservice.core.db.session import in_write_transaction

P = ParamSpec("P")
R = TypeVar("R")

MAX_RETRIES = 5
RETRY_INTERVAL = 0.05
MAX_RETRY_INTERVAL = 0.8


def _worth_retrying(error: BaseException) -> bool:
    return isinstance(error, exceptions.ConcurrentUpdate) and not in_write_transaction()


def retry_on_deadlock(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` again (up to ``MAX_RETRIES`` times) when it raises ConcurrentUpdate.

    ``fn`` must be a whole unit of work: it opens its write transaction(s)
    itself and has no effect outside the database before its last commit.
    """
    wrapped = oslo_db_api.wrap_db_retry(
        max_retries=MAX_RETRIES,
        retry_interval=RETRY_INTERVAL,
        inc_retry_interval=True,
        max_retry_interval=MAX_RETRY_INTERVAL,
        exception_checker=_worth_retrying,
        jitter=True,
    )(fn)
    return cast(Callable[P, R], wrapped)
