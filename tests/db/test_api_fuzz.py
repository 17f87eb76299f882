"""schemathesis against a live ``netservice-api``, on SQLite and PostgreSQL.

Every operation of the served OpenAPI document (the core's and the four
plugins' routes) is fuzzed with admin and with non-admin identity headers.
The run must give no response with a status of 500 or more, and every
response must conform to the document (status code, content type, headers,
body schema).  It is bounded: a fixed seed, ``MAX_EXAMPLES`` test cases per
operation and phase, and a hard time limit per run.

The figures of each run (operations, test cases, statuses) are printed, and
written next to the reports in the test's temp directory.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from netservice.testing import databases
from netservice.testing.config import write_config
from tests.conftest import skip_or_fail

SERVICES = ("flat", "flat_dhcp", "vlan", "l2")
MAX_EXAMPLES = 3
SEED = 20261204
RUN_TIMEOUT = 300  # seconds; a run that takes longer fails the test
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "unsupported_method",
    ]
)
ROLES = {
    "admin": ["X-Project-Id: ops", "X-User-Id: fuzz", "X-Roles: admin"],
    "member": ["X-Project-Id: p1", "X-User-Id: fuzz", "X-Roles: member"],
}
_LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
_STATUS = re.compile(r"^\s+status:\s*\n\s+code: '(\d+)'", re.MULTILINE)


def _script(name: str) -> str:
    return os.path.join(os.path.dirname(sys.executable), name)


@pytest.fixture(params=["sqlite", "postgresql"])
def api_url(request, tmp_path):
    """A live netservice-api on a free loopback port, on a fresh database."""
    dropped = None
    if request.param == "sqlite":
        connection = f"sqlite:///{tmp_path}/fuzz.sqlite"
    else:
        server = databases.server_url("postgresql")
        reason = databases.unreachable_reason(server)
        if reason:
            skip_or_fail(f"postgresql: {reason}")
        connection, name = databases.fresh_schema(server)
        dropped = (server, name)
    config = write_config(
        str(tmp_path / "cfg"),
        SERVICES,
        default="vlan",
        connection=connection,
        extra={
            "api": {"embedded_net_services": "false", "threads": 4},
            # Defaults that let a generated "network create" succeed.
            "vlan": {"vlan_interface": "lo"},
            "flat": {"flat_network_bridge": "br100", "flat_interface": "lo"},
            "flat_dhcp": {"flat_network_bridge": "br101", "flat_interface": "lo"},
            "database": {"connect_retries": 0},
        },
    )
    if dropped is not None:
        subprocess.run(
            [_script("netservice-manage"), "--config-file", config, "db", "sync"],
            check=True,
            capture_output=True,
        )
    log = open(tmp_path / "api.log", "w+", encoding="utf-8")
    proc = subprocess.Popen(
        [_script("netservice-api"), "--config-file", config],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield _wait_for_api(proc, tmp_path / "api.log")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if dropped is not None:
            databases.drop_schema(*dropped)


def _wait_for_api(proc, log_path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"netservice-api exited {proc.returncode}: {log_path.read_text()[-2000:]}")
        found = _LISTENING.search(log_path.read_text())
        if found:
            url = found.group(1)
            with urllib.request.urlopen(f"{url}/v1.0/openapi.json", timeout=10) as reply:
                assert reply.status == 200
            return url
        time.sleep(0.2)
    pytest.fail(f"netservice-api did not listen within {timeout} s")


def _fuzz(url: str, role: str, report_dir) -> dict:
    command = [
        _script("schemathesis"),
        "--no-color",
        "run",
        f"{url}/v1.0/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--report",
        "json,vcr",
        "--report-json-path",
        str(report_dir / "report.json"),
        "--report-vcr-path",
        str(report_dir / "cassette.yaml"),
        "--warnings",
        "off",
    ]
    for header in ROLES[role]:
        command += ["--header", header]
    started = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    report = json.loads((report_dir / "report.json").read_text())
    statuses = collections.Counter(
        int(code) for code in _STATUS.findall((report_dir / "cassette.yaml").read_text())
    )
    figures = {
        "role": role,
        "seconds": round(time.monotonic() - started, 1),
        "operations": report["operations"],
        "test_cases": report["test_cases"],
        "statuses": dict(sorted(statuses.items())),
        "failures": report["failures"],
        "exit_code": done.returncode,
    }
    (report_dir / "figures.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures))
    assert done.returncode == 0 and not report["failures"], done.stdout[-6000:]
    return figures


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_operation_survives_the_fuzzer(api_url, role, tmp_path):
    with urllib.request.urlopen(f"{api_url}/v1.0/openapi.json", timeout=10) as reply:
        document = json.load(reply)
    operations = sum(len(item) for item in document["paths"].values())
    report_dir = tmp_path / f"schemathesis-{role}"
    report_dir.mkdir()
    figures = _fuzz(api_url, role, report_dir)
    assert figures["operations"]["total"] == operations
    assert figures["operations"]["tested"] == operations, figures["operations"]
    assert figures["statuses"], "no request reached the API"
    assert max(figures["statuses"]) < 500, figures["statuses"]
