"""Network statuses: how hosts' reports read in the API, and a reconciler's
reporter, which logs and stores each network's outcome once per change."""

from __future__ import annotations

import logging

import pytest

from netservice.core import exceptions
from netservice.core.db.models import CoreBase
from netservice.core.db.session import Database
from netservice.core.network_status import (
    ACTIVE,
    BUILD,
    ERROR,
    HostStatus,
    NetworkStatuses,
    Status,
    StatusReporter,
    clear,
    summarize,
)

LOG = logging.getLogger("tests.network_status")
BAD = exceptions.NotFound("network interface eth1 not found")


@pytest.fixture
def store(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/s.sqlite")
    CoreBase.metadata.create_all(db.engine)
    yield NetworkStatuses(db, "flat_dhcp")
    db.dispose()


class CountingStore(NetworkStatuses):
    def __init__(self, inner):
        super().__init__(inner.db, inner.service)
        self.writes = []

    def set(self, *args, **kwargs):
        self.writes.append(args)
        super().set(*args, **kwargs)


def test_summarize():
    ok, bad = HostStatus("h1", ACTIVE), HostStatus("h2", ERROR, "eth1 missing")
    assert summarize([], ["h1"]) == Status(BUILD)
    assert summarize([ok], []) == Status(BUILD)  # no host serves it yet
    assert summarize([ok, bad], ["h1"]) == Status(ACTIVE)  # h2 does not serve it
    assert summarize([ok, bad], None) == Status(ERROR, "h2: eth1 missing")  # multi_host
    worse = HostStatus("h0", ERROR, "no dnsmasq")
    assert summarize([bad, worse], None).error == "h0: no dnsmasq; h2: eth1 missing"


def test_store_set_read_remove_and_clear(store):
    store.set("1", "h1", ERROR, "x" * 5000)
    store.set("1", "h2", ACTIVE)
    store.set("1", "h1", ACTIVE)  # replaces h1's report
    store.set("2", "h1", ACTIVE)
    NetworkStatuses(store.db, "vlan").set("1", "h1", ERROR, "another plugin's network 1")
    found = store.read(["1", "2", "3"])
    assert sorted(found["1"], key=lambda r: r.host) == [HostStatus("h1", ACTIVE),
                                                        HostStatus("h2", ACTIVE)]  # fmt: skip
    assert "3" not in found
    store.set("2", "h1", ERROR, "x" * 5000)
    assert len(store.read([2])["2"][0].error) == 1024
    store.remove("2", "h1")
    store.remove("2", "h1")  # absent is fine
    assert store.of_host("h1") == {"1": HostStatus("h1", ACTIVE)}
    with store.db.write_connection() as conn:
        clear(conn, "flat_dhcp", 1)
    assert store.read([1]) == {}
    assert NetworkStatuses(store.db, "vlan").read([1])["1"][0].status == ERROR


def test_reporter_logs_and_stores_once_per_change(store, caplog):
    counting = CountingStore(store)
    reporter = StatusReporter(counting, "h1", LOG)
    with caplog.at_level(logging.DEBUG, logger=LOG.name):
        for _ in range(3):
            reporter.failed("1", "flat_dhcp network u1 (net)", BAD, "spec-1")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage().split(" (the other")[0] for r in errors] == [
        "flat_dhcp network u1 (net) failed: network interface eth1 not found"
    ]
    assert errors[0].exc_info is None
    assert counting.writes == [("1", "h1", ERROR, "network interface eth1 not found")]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOG.name):
        reporter.converged("1", "flat_dhcp network u1 (net)", "spec-1")
        reporter.converged("1", "flat_dhcp network u1 (net)", "spec-1")
    assert [r.getMessage() for r in caplog.records] == [
        "flat_dhcp network u1 (net) converged again (it had failed: network interface eth1 "
        "not found)"
    ]
    assert counting.writes[1:] == [("1", "h1", ACTIVE, None)]


def test_a_bug_is_logged_with_its_traceback_once(store, caplog):
    reporter = StatusReporter(store, "h1", LOG)
    with caplog.at_level(logging.ERROR, logger=LOG.name):
        for _ in range(2):
            try:
                raise KeyError("boom")
            except KeyError as err:
                reporter.failed("1", "n", err)
    (record,) = caplog.records
    assert record.exc_info is not None and "KeyError" in caplog.text


def test_new_settings_are_reported_again_after_they_cleared_the_status(store):
    counting = CountingStore(store)
    reporter = StatusReporter(counting, "h1", LOG)
    reporter.failed("1", "n", BAD, "spec-1")
    with store.db.write_connection() as conn:
        clear(conn, "flat_dhcp", "1")  # what network modify does
    reporter.failed("1", "n", BAD, "spec-2")  # the same error with other settings
    assert store.read(["1"])["1"] == [HostStatus("h1", ERROR, str(BAD))]
    assert len(counting.writes) == 2


def test_a_new_process_keeps_what_the_last_one_stored(store):
    StatusReporter(store, "h1", LOG).failed("1", "n", BAD, "spec-1")
    counting = CountingStore(store)
    again = StatusReporter(counting, "h1", LOG)
    again.failed("1", "n", BAD, "spec-1")
    assert counting.writes == []
    again.gone("1")
    assert store.read(["1"]) == {}


def test_a_store_that_fails_never_fails_the_pass(tmp_path, caplog):
    db = Database(f"sqlite:///{tmp_path}/empty.sqlite")  # no network_statuses table
    reporter = StatusReporter(NetworkStatuses(db, "flat_dhcp"), "h1", LOG)
    with caplog.at_level(logging.WARNING, logger=LOG.name):
        reporter.failed("1", "n", BAD)
        reporter.converged("1", "n")
        reporter.gone("1")
    assert "could not read the network statuses of h1" in caplog.text
    db.dispose()
