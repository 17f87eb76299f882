"""The documented deployment: gunicorn, the WSGI module, 2 workers, PostgreSQL.

``gunicorn --config etc/gunicorn.conf.py 'netservice.wsgi.api:init_application()'``
with ``NETSERVICE_CONFIG_FILES``, as README's "Deploying" section shows.
The database is reached through a TCP forwarder the test can cut, so
"the database is unreachable" never stops the shared PostgreSQL server.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from netservice.core import programs
from netservice.testing import databases
from netservice.testing.config import write_config
from netservice.testing.forwarder import Forwarder
from tests.conftest import TEST_SERVICES, skip_or_fail

ROOT = Path(__file__).resolve().parents[3]
REQUEST_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ACCESS = re.compile(
    r"^\S+ \S+ (?P<pid>\d+) INFO netservice\.access \[(?P<global>\S+) (?P<local>req-\S+) "
)


def _wait(predicate: Callable[[], object], timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    return predicate()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Api:
    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"X-Project-Id": "p1", **(headers or {})})
            reply = conn.getresponse()
            return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        finally:
            conn.close()

    def access_lines(self) -> dict[str, re.Match[str]]:
        """Access log lines by their (local) request id."""
        found = {}
        for line in self.log.read_text(errors="replace").splitlines():
            match = ACCESS.match(line)
            if match:
                found[match["local"]] = match
        return found


@pytest.fixture
def postgresql() -> Iterator[tuple[str, str]]:
    server = databases.server_url("postgresql")
    reason = databases.unreachable_reason(server)
    if reason:
        skip_or_fail(f"postgresql: {reason}")
    url, name = databases.fresh_schema(server)
    yield url, name
    databases.drop_schema(server, name)


@pytest.fixture
def deployment(tmp_path: Path, postgresql: tuple[str, str]) -> Iterator[tuple[Api, Forwarder]]:
    url, _ = postgresql
    real = sa.engine.make_url(url)
    forwarder = Forwarder((real.host or "127.0.0.1", real.port or 5432))
    via = real.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False)
    log = tmp_path / "api.log"
    config = write_config(
        str(tmp_path / "etc"),
        TEST_SERVICES,
        default="test",
        connection=via,
        extra={
            "DEFAULT": {"log_file": log},
            "database": {"connect_retries": 0},
            "oslo_middleware": {"enable_proxy_headers_parsing": "true"},
        },
    )
    sync = subprocess.run(
        [programs.script("netservice-manage"), "--config-file", config, "db", "sync"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert sync.returncode == 0, sync.stderr
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "NETSERVICE_CONFIG_FILES": config,
        "NETSERVICE_BIND": f"127.0.0.1:{port}",
        "NETSERVICE_WORKERS": "2",
    }
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "etc" / "gunicorn.conf.py"),
            "netservice.wsgi.api:init_application()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.err", "w"),
    )
    api = Api(port, log)

    def _up() -> bool:
        try:
            return api.get("/")[0] == 200
        except OSError:
            return False

    try:
        assert _wait(_up), (tmp_path / "gunicorn.err").read_text()
        yield api, forwarder
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=60)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait(timeout=10)
        forwarder.cut()


def test_two_workers_request_ids_health_and_proxy_links(deployment):
    api, forwarder = deployment
    caller = f"req-{uuid.uuid4()}"

    def _client(n: int) -> list[tuple[int, str | None]]:
        answers = []
        for i in range(10):
            # Half the calls carry a caller's (global) request id, as the
            # compute agent's do; one a malformed one, which is ignored.
            headers = {"X-Openstack-Request-Id": caller} if i % 2 else {}
            if n == 0 and i == 0:
                headers = {"X-Openstack-Request-Id": "not-a-request-id"}
            status, got, _ = api.get("/v1.0/network_services", headers)
            answers.append((status, got.get("x-openstack-request-id")))
        return answers

    pids: set[str] = set()
    ids: list[str] = []
    lines: dict[str, re.Match[str]] = {}
    for _ in range(10):  # rounds of 8 concurrent clients, until both workers answered
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for answers in pool.map(_client, range(8)):
                for status, request_id in answers:
                    assert status == 200
                    assert request_id is not None and REQUEST_ID.match(request_id), request_id
                    ids.append(request_id)
        lines = _wait(lambda: (found := api.access_lines()) and set(ids) <= set(found) and found)
        assert lines and set(ids) <= set(lines), "request ids missing from the access log"
        pids = {lines[i]["pid"] for i in ids}
        if len(pids) >= 2:
            break
    assert len(pids) == 2, f"answers came from {pids} only"
    assert len(set(ids)) == len(ids), "a request id was given twice"
    # The caller's id is logged as the global request id next to ours.
    globals_logged = {lines[i]["global"] for i in ids}
    assert caller in globals_logged
    assert "not-a-request-id" not in api.log.read_text()

    status, _, body = api.get(
        "/v1.0/",
        {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "api.example.com",
            "X-Forwarded-Prefix": "/network",
        },
    )
    assert status == 200
    version = json.loads(body)["version"]
    assert version["links"] == [{"rel": "self", "href": "https://api.example.com/network/v1.0/"}]
    assert {"status", "updated", "version", "min_version"} <= set(version)

    status, headers, body = api.get("/healthcheck")
    assert (status, body) == (200, b"OK")
    assert REQUEST_ID.match(headers["x-openstack-request-id"])

    forwarder.cut()
    # Both workers must notice: poll until several answers in a row are 503.
    streak = _wait(lambda: all(api.get("/healthcheck")[0] == 503 for _ in range(6)))
    assert streak, "healthcheck still answers 200 with the database unreachable"


def test_netservice_api_with_two_workers_sums_metrics_and_stops_gracefully(tmp_path, postgresql):
    url, _ = postgresql
    log = tmp_path / "api.log"
    port = _free_port()
    config = write_config(
        str(tmp_path / "etc"),
        TEST_SERVICES,
        default="test",
        connection=url,
        extra={
            "DEFAULT": {"log_file": log},
            "api": {"workers": 2, "bind_port": port, "metrics": "true"},
        },
    )
    manage = programs.script("netservice-manage")
    sync = subprocess.run(
        [manage, "--config-file", config, "db", "sync"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert sync.returncode == 0, sync.stderr
    server = subprocess.Popen(
        [programs.script("netservice-api"), "--config-file", config],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = Api(port, log)
    try:

        def _up() -> bool:
            try:
                return api.get("/")[0] == 200
            except OSError:
                return False

        assert _wait(_up)
        assert "2 workers of 8 threads" in log.read_text()
        # A second server on the same port: one line, exit 1.
        taken = subprocess.run(
            [programs.script("netservice-api"), "--config-file", config],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert taken.returncode == 1
        assert taken.stderr.strip().splitlines()[-1] == (
            f"netservice-api: error: 127.0.0.1:{port} is already in use "
            "([api] bind_host, bind_port)"
        )
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: api.get("/v1.0/network_services")[0], range(40)))
        assert statuses == [200] * 40
        pids = {m["pid"] for m in api.access_lines().values()}
        total = 'netservice_api_requests_total{method="GET",route="/v1.0/network_services",'
        for _ in range(4):  # whichever worker answers /metrics reports both workers' sum
            text = api.get("/metrics")[2].decode()
            line = next(x for x in text.splitlines() if x.startswith(total))
            assert float(line.rsplit(" ", 1)[1]) == 40.0, (pids, line)
    finally:
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=60)
    assert status == 0
    assert "netservice-api stopped" in log.read_text()
