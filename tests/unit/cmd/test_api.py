"""netservice-api as a real process: it serves, and survives hostile XML."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.unit.core.wsgi.test_serializers import BILLION_LAUGHS


@pytest.fixture
def server(config_file):
    proc = subprocess.Popen(
        ["netservice-api", "--config-file", config_file],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    url = None
    lines = []
    while time.monotonic() < deadline and url is None:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"listening on (http://\S+)", line)
        url = found.group(1) if found else None
    if url is None:
        proc.kill()
        pytest.fail("netservice-api did not start:\n" + "".join(lines))
    yield url, proc
    proc.terminate()
    proc.wait(timeout=10)


def fetch(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def test_serves_versions_in_json_and_xml(server):
    url, _ = server
    status, ctype, body = fetch(url + "/")
    assert (status, ctype) == (200, "application/json")
    assert b'"id":"v1.0"' in body
    status, ctype, body = fetch(url + "/", headers={"Accept": "application/xml"})
    assert status == 200 and ctype.startswith("application/xml")
    assert b"<id>v1.0</id>" in body


def test_billion_laughs_is_refused_and_the_server_stays_up(server):
    url, proc = server
    status, _, body = fetch(
        url + "/v1.0/test/vnics",
        data=BILLION_LAUGHS,
        method="POST",
        headers={"Content-Type": "application/xml", "X-Project-Id": "p1"},
    )
    assert status == 400 and b"badRequest" in body
    assert proc.poll() is None
    assert fetch(url + "/")[0] == 200


def test_binds_loopback_by_default(server):
    url, _ = server
    assert url.startswith("http://127.0.0.1:")


def test_a_bad_service_list_stops_start_up(tmp_path):
    from netservice.testing.config import write_config

    path = write_config(str(tmp_path), ["test_broken_import"], default="test")
    done = subprocess.run(
        ["netservice-api", "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "test_broken_import" in done.stderr and "does not import" in done.stderr


def test_noauth_beyond_loopback_warns(tmp_path):
    from netservice.testing.config import write_config

    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"api": {"bind_host": "0.0.0.0"}}
    )
    proc = subprocess.Popen(
        ["netservice-api", "--config-file", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen.append(line)
            if "listening on" in line or not line:
                break
        assert any("auth_strategy is noauth but the API is bound to 0.0.0.0" in s for s in seen), (
            "".join(seen)
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_bad_option_value_is_one_line_not_a_traceback(tmp_path):
    from netservice.testing.config import write_config

    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"api": {"auth_strategy": "ldap"}}
    )
    done = subprocess.run(
        ["netservice-api", "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "netservice-api: error:" in done.stderr and "'ldap'" in done.stderr
    assert "Traceback" not in done.stderr
