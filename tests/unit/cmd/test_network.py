"""netservice-network, and the net-services the embedded API runs in-process."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import urllib.request

import pytest

from netservice.core.programs import script
from netservice.testing.config import write_config


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_runs_net_services_until_sigterm(tmp_path):
    log = tmp_path / "passes.log"
    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"test": {"reconcile_log": log}}
    )
    assert (
        subprocess.run(
            [script("netservice-manage"), "--config-file", path, "db", "sync"], check=False
        ).returncode
        == 0
    )
    proc = subprocess.Popen(
        [script("netservice-network"), "--config-file", path], stderr=subprocess.PIPE, text=True
    )
    try:
        assert wait_for(lambda: log.exists() and log.read_text().startswith("all\n")), (
            "no first reconcile"
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0


def test_refuses_to_run_without_net_services(tmp_path):
    path = write_config(str(tmp_path), ["test"], default="test")
    subprocess.run([script("netservice-manage"), "--config-file", path, "db", "sync"], check=True)
    done = subprocess.run(
        [script("netservice-network"), "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "no loaded network service has a net-service" in done.stderr


def test_a_stale_schema_stops_it(tmp_path):
    path = write_config(str(tmp_path), ["test"], default="test")
    done = subprocess.run(
        [script("netservice-network"), "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "netservice-manage db sync" in done.stderr


def test_the_embedded_api_wakes_its_net_service_on_a_change(tmp_path):
    log = tmp_path / "passes.log"
    path = write_config(
        str(tmp_path),
        ["test"],
        default="test",
        extra={"test": {"reconcile_log": log}, "api": {"embedded_net_services": True}},
    )
    proc = subprocess.Popen(
        [script("netservice-api"), "--config-file", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = None
        while url is None:
            line = proc.stdout.readline()
            if not line:
                pytest.fail("netservice-api exited")
            found = re.search(r"listening on (http://\S+)", line)
            url = found.group(1) if found else None
        assert wait_for(lambda: log.exists() and "all" in log.read_text())
        req = urllib.request.Request(
            url + "/v1.0/test/vnics",
            data=b'{"vnic": {"label": "x"}}',
            method="POST",
            headers={"Content-Type": "application/json", "X-Project-Id": "p1"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 201
        # Woken by the commit, long before the 60 s resync.
        assert wait_for(lambda: "vnics" in log.read_text().split(), timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
