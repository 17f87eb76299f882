"""retry_on_deadlock: bounded, outermost only, never on a lost connection."""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.db import retry
from netservice.core.db.session import Database


def _failing(times, error):
    calls = []

    @retry.retry_on_deadlock
    def unit():
        calls.append(1)
        if len(calls) <= times:
            raise error
        return len(calls)

    return unit, calls


def test_a_lost_deadlock_is_run_again_until_it_succeeds():
    unit, calls = _failing(2, exceptions.ConcurrentUpdate(reason="deadlock"))
    assert unit() == 3
    assert len(calls) == 3


def test_the_retries_are_bounded_then_the_conflict_reaches_the_caller():
    unit, calls = _failing(100, exceptions.ConcurrentUpdate(reason="deadlock"))
    with pytest.raises(exceptions.ConcurrentUpdate):
        unit()
    assert len(calls) == retry.MAX_RETRIES + 1 == 6


@pytest.mark.parametrize(
    "error",
    [
        exceptions.DatabaseUnavailable(reason="gone"),
        exceptions.DuplicateEntry(what="mac 'x'"),
        exceptions.NotFound(),
    ],
)
def test_other_errors_are_not_retried(error):
    unit, calls = _failing(1, error)
    with pytest.raises(type(error)):
        unit()
    assert len(calls) == 1


def test_a_unit_inside_another_write_transaction_leaves_the_retry_to_the_outer_one():
    database = Database("sqlite://")
    unit, calls = _failing(1, exceptions.ConcurrentUpdate(reason="deadlock"))
    with pytest.raises(exceptions.ConcurrentUpdate), database.writer():
        unit()
    assert len(calls) == 1
    database.dispose()
