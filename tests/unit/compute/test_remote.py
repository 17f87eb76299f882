"""RemoteVnics against a tiny HTTP server that answers what each test sets."""

from __future__ import annotations

import dataclasses
import datetime
import http.server
import json
import threading
import uuid
from types import SimpleNamespace

import pytest

from netservice.compute import remote
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.networks import domain

CTX = RequestContext(project_id="p1", roles=("member",))


@pytest.fixture
def server():
    state = SimpleNamespace(status=200, body={}, seen=[])

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.seen.append(
                (self.command, self.path, dict(self.headers), self.rfile.read(length))
            )
            data = json.dumps(state.body).encode()
            self.send_response(state.status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()


def client(server, token="svc-token"):
    return remote.RemoteVnics(remote.AgentConfig(server.url, token), "flat_dhcp")


def test_requests_carry_project_roles_and_token(server):
    server.body = {"port": {"address": "10.0.0.5"}}
    assert client(server).bind(CTX, "v1") == "10.0.0.5"
    method, path, headers, body = server.seen[-1]
    assert (method, path) == ("POST", "/v1.0/flat_dhcp/ports")
    assert headers["X-Project-Id"] == "p1" and headers["X-Roles"] == "member"
    assert headers["X-Auth-Token"] == "svc-token"
    # The caller's id, as the global request id the API logs next to its own.
    assert headers["X-Openstack-Request-Id"] == CTX.request_id
    assert json.loads(body) == {"port": {"vnic_id": "v1"}}


def test_a_global_request_id_is_passed_on(server):
    server.body = {"port": {"address": "10.0.0.5"}}
    caller = RequestContext("p1", global_request_id=f"req-{uuid.uuid4()}")
    client(server).bind(caller, "v1")
    assert server.seen[-1][2]["X-Openstack-Request-Id"] == caller.global_request_id


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, exceptions.VnicNotFound),
        (500, exceptions.ServiceUnavailable),
        (403, exceptions.Forbidden),
    ],
)
def test_faults_come_back_as_domain_errors(server, status, error):
    server.status = status
    server.body = {"fault": {"code": status, "message": "nope"}}
    with pytest.raises(error):
        client(server).get(CTX, "v1")


def test_a_conflict_keeps_its_message(server):
    server.status = 409
    server.body = {"conflictingRequest": {"code": 409, "message": "No fixed IP address is left"}}
    with pytest.raises(exceptions.Conflict, match="No fixed IP address is left"):
        client(server).bind(CTX, "v1")


def test_not_configured_means_in_process():
    context = SimpleNamespace(global_config=SimpleNamespace(agent=SimpleNamespace(api_url=None)))
    assert remote.from_config(context) is None


def test_a_bad_url_is_a_configuration_error():
    with pytest.raises(exceptions.ConfigurationError, match="api_url"):
        remote.RemoteVnics(remote.AgentConfig("ftp://x"), "flat")


def test_a_vnic_read_over_rest_is_a_frozen_read_model(server):
    server.body = {"vnic": {"id": "v1", "mac_address": "fa:16:3e:00:00:01", "network_id": "n-1",
                            "project_id": "p1", "instance_id": None, "address": "10.0.0.5",
                            "created_at": "2026-01-02T03:04:05"}}  # fmt: skip
    vnics = client(server)
    card = vnics.get(CTX, "v1")
    assert isinstance(card, domain.Vnic)
    assert (card.network_uuid, card.network_id, card.address) == ("n-1", None, "10.0.0.5")
    assert card.created_at == datetime.datetime(2026, 1, 2, 3, 4, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.address = None
    server.body = {"network": {"id": "n-1", "bridge": "br100"}}
    assert vnics.network_of(card).bridge == "br100"
    assert server.seen[-1][1] == "/v1.0/flat_dhcp/networks/n-1"
