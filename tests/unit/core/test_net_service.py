"""NetServiceRunner: reconcile at start, on change (coalesced), on resync; survive failures."""

from __future__ import annotations

import threading
import time

import pytest

from netservice.core.net_service import NetService, NetServiceRunner
from netservice.core.notify import Change, InProcessNotifier


class Recorder(NetService):
    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[str | None] = []
        self.fail_first = fail_first
        self.event = threading.Event()
        self.stopped = False

    def _record(self, what):
        self.calls.append(what)
        self.event.set()
        if self.fail_first:
            self.fail_first -= 1
            raise RuntimeError("kernel said no")

    def reconcile(self):
        self._record(None)

    def reconcile_network(self, network_id):
        self._record(network_id)

    def stop(self):
        self.stopped = True


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def notifier():
    return InProcessNotifier()


def test_reconciles_at_start_then_on_each_change(notifier):
    service = Recorder()
    runner = NetServiceRunner("fd", service, notifier, resync_interval=3600)
    runner.start()
    try:
        assert wait_for(lambda: service.calls == [None])
        notifier.publish(Change("fd", "42"))
        assert wait_for(lambda: service.calls == [None, "42"])
        notifier.publish(Change("other", "1"))  # another plugin's change
        notifier.publish(Change("fd"))  # no network named: everything
        assert wait_for(lambda: service.calls == [None, "42", None])
    finally:
        runner.stop()
    assert service.stopped


def test_a_burst_is_coalesced_per_network(notifier):
    service = Recorder()
    gate = threading.Event()
    original = service.reconcile

    def slow_first():
        original()
        gate.wait(5)

    service.reconcile = slow_first
    runner = NetServiceRunner("fd", service, notifier, resync_interval=3600)
    runner.start()
    try:
        assert wait_for(lambda: service.calls == [None])
        for network_id in ("5", "3", "5", "5", "3"):
            notifier.publish(Change("fd", network_id))
        gate.set()
        assert wait_for(lambda: len(service.calls) == 3)
        assert service.calls == [None, "3", "5"]
    finally:
        runner.stop()


def test_periodic_resync_without_notifications(notifier):
    service = Recorder()
    runner = NetServiceRunner("fd", service, notifier, resync_interval=1.0)
    runner.start()
    try:
        assert wait_for(lambda: len(service.calls) >= 2, timeout=5)
        assert set(service.calls) == {None}
    finally:
        runner.stop()


def test_a_failing_pass_is_logged_and_retried(notifier, caplog):
    service = Recorder(fail_first=1)
    runner = NetServiceRunner("fd", service, notifier, resync_interval=3600)
    runner.start()
    try:
        assert wait_for(lambda: runner.failures == 1)
        notifier.publish(Change("fd", "9"))
        assert wait_for(lambda: runner.passes == 1)
    finally:
        runner.stop()
    assert "reconcile of all networks failed" in caplog.text and "kernel said no" in caplog.text


class Failing(NetService):
    """Fails every pass with ``errors[i]`` until they run out, then succeeds."""

    def __init__(self, errors):
        self.errors = list(errors)

    def reconcile(self):
        if self.errors:
            raise self.errors.pop(0)


def _run_until(notifier, service, done):
    runner = NetServiceRunner("fd", service, notifier, resync_interval=0.01)
    runner.start()
    try:
        assert wait_for(lambda: done(runner))
    finally:
        runner.stop()
    return runner


def test_a_failing_pass_is_logged_once_per_change_as_one_line(notifier, caplog):
    from netservice.core.exceptions import ConfigurationError

    missing = ConfigurationError("nft not found in /usr/bin: install the package 'nftables'")
    other = ConfigurationError("dnsmasq not found in /usr/bin: install 'dnsmasq-base'")
    service = Failing([missing] * 5 + [other] * 3)
    with caplog.at_level("INFO", logger="netservice.core.net_service"):
        runner = _run_until(notifier, service, lambda r: r.passes >= 2)
    assert runner.failures == 8
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.getMessage() for r in errors] == [
        f"net-service fd: reconcile of all networks failed: {missing}; retrying at the next "
        "change or resync",
        f"net-service fd: reconcile of all networks failed: {other}; retrying at the next "
        "change or resync",
    ]
    assert all(r.exc_info is None for r in errors)  # what to fix, not a traceback
    assert "reconcile of all networks works again" in caplog.text


def test_an_unexpected_error_keeps_its_traceback_once(notifier, caplog):
    service = Failing([RuntimeError("bug")] * 4)
    runner = _run_until(notifier, service, lambda r: r.passes >= 1)
    assert runner.failures == 4
    (error,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert error.exc_info is not None and "RuntimeError: bug" in caplog.text
