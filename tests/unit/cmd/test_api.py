"""netservice-api as a real process: it serves, and survives hostile XML."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from netservice.core.programs import script
from netservice.testing.config import write_config
from tests.unit.core.wsgi.test_serializers import BILLION_LAUGHS


class Output:
    """A process's output, read continuously so that its pipe never fills."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._reader.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        for line in proc.stdout:
            self.lines.append(line)
            if "listening on" in line:
                self._listening.set()
        self._listening.set()  # end of output: nothing more will come

    def url(self, timeout: float) -> str | None:
        """The URL the server logged it listens on, waiting up to ``timeout``."""
        self._listening.wait(timeout)
        for line in self.lines:
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                return found.group(1)
        return None

    def text(self, timeout: float = 10) -> str:
        """Everything printed, once the process has closed its output."""
        self._reader.join(timeout)
        return "".join(self.lines)


@contextlib.contextmanager
def running_api(config_file):
    """netservice-api started on ``config_file``: (url, process, output); SIGTERM after."""
    proc = subprocess.Popen(
        [script("netservice-api"), "--config-file", config_file],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Output(proc)
    url = output.url(timeout=60)
    if url is None:
        proc.kill()
        pytest.fail("netservice-api did not start:\n" + output.text())
    try:
        yield url, proc, output
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("netservice-api did not stop on SIGTERM:\n" + output.text())


@pytest.fixture
def server(config_file):
    with running_api(config_file) as started:
        yield started


def fetch(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def test_serves_versions_in_json_and_xml(server):
    url, _, _ = server
    status, ctype, body = fetch(url + "/")
    assert (status, ctype) == (200, "application/json")
    assert b'"id":"v1.0"' in body
    status, ctype, body = fetch(url + "/", headers={"Accept": "application/xml"})
    assert status == 200 and ctype.startswith("application/xml")
    assert b"<id>v1.0</id>" in body


def test_billion_laughs_is_refused_and_the_server_stays_up(server):
    url, proc, _ = server
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
    url, _, _ = server
    assert url.startswith("http://127.0.0.1:")


def test_a_bad_service_list_stops_start_up(tmp_path):
    path = write_config(str(tmp_path), ["test_broken_import"], default="test")
    done = subprocess.run(
        [script("netservice-api"), "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "test_broken_import" in done.stderr and "does not import" in done.stderr


def test_noauth_beyond_loopback_warns(tmp_path):
    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"api": {"bind_host": "0.0.0.0"}}
    )
    with running_api(path) as (_, _, output):
        assert any(
            "auth_strategy is noauth but the API is bound to 0.0.0.0" in line
            for line in output.lines
        ), output.text(0)


def test_a_bad_option_value_is_one_line_not_a_traceback(tmp_path):
    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"api": {"auth_strategy": "ldap"}}
    )
    done = subprocess.run(
        [script("netservice-api"), "--config-file", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "netservice-api: error:" in done.stderr and "'ldap'" in done.stderr
    assert "Traceback" not in done.stderr


def _connect(url):
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=10)


def _refused(url):
    try:
        _connect(url).close()
    except OSError:
        return True
    return False


def _read_response(conn):
    """One HTTP/1.1 response (headers and Content-Length body) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, f"connection closed mid-response: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(rest) < length:
        chunk = conn.recv(65536)
        assert chunk, "connection closed mid-body"
        rest += chunk
    return head, rest


def test_sigterm_lets_a_request_in_progress_finish_then_exits_0(server):
    url, proc, output = server
    body = json.dumps({"vnic": {"label": "in-flight"}}).encode()
    head = (
        "POST /v1.0/test/vnics HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        f"X-Project-Id: p1\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    conn = _connect(url)
    # A first request on the connection, so the server has accepted it: a
    # connection still in the kernel's backlog is reset when the listener closes.
    conn.sendall(head + body)
    assert _read_response(conn)[0].startswith(b"HTTP/1.1 201")
    conn.sendall(head + body[:5])  # a second request that has begun to arrive
    proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while not _refused(url):  # new connections are refused at once
        assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
        time.sleep(0.05)
    assert proc.poll() is None, "exited with a request in progress"
    conn.sendall(body[5:])
    answer, created = _read_response(conn)
    conn.close()
    assert answer.startswith(b"HTTP/1.1 201"), answer
    assert json.loads(created)["vnic"]["label"] == "in-flight"
    assert proc.wait(timeout=20) == 0
    log = output.text()
    assert "SIGTERM: stopping" in log and "netservice-api stopped" in log
    assert "Traceback" not in log


def test_sigint_stops_it_with_status_0(server):
    _, proc, output = server
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert "netservice-api stopped" in output.text()


def test_a_port_in_use_is_one_line_and_status_1(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        path = write_config(
            str(tmp_path), ["test"], default="test", extra={"api": {"bind_port": port}}
        )
        done = subprocess.run(
            [script("netservice-api"), "--config-file", path],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        taken.close()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower()]
    assert errors == [
        f"netservice-api: error: 127.0.0.1:{port} is already in use ([api] bind_host, bind_port)"
    ]


def _start(config_file, timeout=60):
    """Run netservice-api expecting it to stop at start-up."""
    api = os.path.join(os.path.dirname(sys.executable), "netservice-api")
    return subprocess.run(
        [api, "--config-file", config_file],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _errors(stderr):
    return [line for line in stderr.splitlines() if "netservice-api: error:" in line]


def test_an_unreachable_database_is_retried_with_a_countdown_then_exit_1(tmp_path):
    config_file = write_config(
        str(tmp_path),
        ["test"],
        default="test",
        # Nothing listens on port 1 of the loopback: connections are refused at once.
        connection="postgresql+psycopg://nobody@127.0.0.1:1/none",
        extra={"database": {"connect_retries": 2, "connect_retry_interval": 0.1}},
    )
    done = _start(config_file)
    assert done.returncode == 1
    countdown = [line for line in done.stderr.splitlines() if "retrying in 0.1 s" in line]
    assert len(countdown) == 2 and "(2 attempt(s) left)" in countdown[0]
    (error,) = _errors(done.stderr)
    assert "[database] connection" in error and "after 3 attempt(s)" in error
    assert "Traceback" not in done.stderr


def test_a_policy_file_that_does_not_parse_stops_start_up(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text('"network_services:list": [\n')
    config_file = write_config(
        str(tmp_path), ["test"], default="test", extra={"oslo_policy": {"policy_file": policy}}
    )
    done = _start(config_file)
    assert done.returncode == 1
    (error,) = _errors(done.stderr)
    assert "[oslo_policy] policy_file" in error and "does not parse" in error
    assert "Traceback" not in done.stderr


def test_keystone_without_its_section_stops_start_up(tmp_path):
    pytest.importorskip("keystonemiddleware", reason="keystonemiddleware is not installed")
    config_file = write_config(
        str(tmp_path), ["test"], default="test", extra={"api": {"auth_strategy": "keystone"}}
    )
    done = _start(config_file)
    assert done.returncode == 1
    (error,) = _errors(done.stderr)
    assert "[keystone_authtoken]" in error
