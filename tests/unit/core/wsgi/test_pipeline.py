"""The middleware in front of the API: request ids, access log, health, CORS, metrics."""

from __future__ import annotations

import logging
import re

import pytest

from netservice.core import bootstrap, exceptions
from netservice.core.api import loader
from netservice.core.api.router import build_app
from netservice.core.db.session import Database
from netservice.core.wsgi import pipeline
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from netservice.wsgi import api as wsgi_api

REQUEST_ID = re.compile(r"^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CALLER = "req-12345678-1234-1234-1234-123456789012"


def _rid(reply):
    return {k.lower(): v for k, v in reply.headers.items()}["x-openstack-request-id"]


def _app(tmp_path, manager, **sections):
    conf = make_conf(write_config(str(tmp_path / "x"), ["test"], default="test", extra=sections))
    return build_app(conf, manager)


def test_every_answer_carries_a_fresh_request_id(client):
    first = _rid(client.get("/v1.0/network_services"))
    second = _rid(client.get("/v1.0/nowhere"))
    assert REQUEST_ID.match(first) and REQUEST_ID.match(second) and first != second


def test_a_callers_request_id_is_the_global_id_and_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="netservice.access")
    reply = client.get("/v1.0/network_services", headers={"X-Openstack-Request-Id": CALLER})
    ours = _rid(reply)
    assert ours != CALLER
    (record,) = [r for r in caplog.records if r.name == "netservice.access"]
    assert record.context.request_id == ours
    assert record.context.global_request_id == CALLER
    assert record.context.project_id == "p1"
    message = record.getMessage()
    assert message.startswith('"GET /v1.0/network_services" status: 200 len: ')
    assert f"len: {len(reply.body)} time: " in message


def test_a_malformed_caller_id_is_ignored(client, caplog):
    caplog.set_level(logging.INFO, logger="netservice.access")
    reply = client.get("/v1.0/network_services", headers={"X-Openstack-Request-Id": "x\nforged"})
    assert REQUEST_ID.match(_rid(reply))
    (record,) = [r for r in caplog.records if r.name == "netservice.access"]
    assert record.context.global_request_id is None


def test_a_refused_caller_is_logged_with_the_request_id(app, caplog):
    caplog.set_level(logging.INFO, logger="netservice.access")
    reply = ApiClient(app, project_id=None).get("/v1.0/network_services")
    assert reply.status == 401
    (record,) = [r for r in caplog.records if r.name == "netservice.access"]
    assert record.context.request_id == _rid(reply)
    assert "status: 401" in record.getMessage()


def test_healthcheck_asks_the_database(client, tmp_path, manager):
    reply = client.get("/healthcheck")
    assert (reply.status, reply.body) == (200, b"OK")
    conf = make_conf(write_config(str(tmp_path / "down"), ["test"], default="test"))
    down = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        app = pipeline.wrap(lambda e, s: [], conf, down, ["healthcheck"])
        reply = ApiClient(app).get("/healthcheck")
    finally:
        down.dispose()
    assert reply.status == 503


def test_cors_is_off_unless_configured(tmp_path, manager):
    preflight = {"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"}
    off = ApiClient(_app(tmp_path / "off", manager))
    reply = off.request("OPTIONS", "/v1.0/network_services", headers=preflight)
    assert "Access-Control-Allow-Origin" not in reply.headers
    on = ApiClient(_app(tmp_path / "on", manager, cors={"allowed_origin": "https://dash.example"}))
    reply = on.request("OPTIONS", "/v1.0/network_services", headers=preflight)
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "https://dash.example"


def test_proxy_headers_only_when_enabled(tmp_path, manager):
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}
    off = ApiClient(_app(tmp_path / "off", manager)).get("/v1.0", headers=proxied)
    assert off.json()["version"]["links"][0]["href"] == "http://localhost/v1.0/"
    on = ApiClient(
        _app(tmp_path / "on", manager, oslo_middleware={"enable_proxy_headers_parsing": "true"})
    ).get("/v1.0/", headers={**proxied, "X-Forwarded-Prefix": "/net"})
    assert on.status == 200
    assert on.json()["version"]["links"][0]["href"] == "https://api.example.com/net/v1.0/"


@pytest.mark.parametrize("path", ["/", "/v1.0", "/v1.0/"])
def test_the_version_document(client, path):
    body = client.get(path).json()
    version = body["versions"][0] if path == "/" else body["version"]
    assert version["status"] == "CURRENT"
    assert version["version"] == version["min_version"] == ""
    assert version["updated"]


def test_metrics_are_off_by_default_and_count_per_route(tmp_path, manager):
    assert ApiClient(_app(tmp_path / "off", manager)).get("/metrics").status == 404
    client = ApiClient(_app(tmp_path / "on", manager, api={"metrics": "true"}))
    assert client.get("/v1.0/network_services/test").status == 200
    text = client.get("/metrics").body.decode()
    assert (
        'netservice_api_requests_total{method="GET",'
        'route="/v1.0/network_services/{id}",status="200"}'
    ) in text
    assert 'netservice_db_pool_connections{state="size"}' in text


def test_an_unknown_filter_is_refused(conf, manager):
    with pytest.raises(exceptions.ConfigurationError, match=r"\[api\] pipeline.*sizelimit"):
        pipeline.wrap(lambda e, s: [], conf, manager.database, ["request_id", "sizelimit"])


def test_workers_default(tmp_path):
    def conf(**api):
        return make_conf(write_config(str(tmp_path), ["test"], default="test", extra={"api": api}))

    assert loader.default_workers(conf(), is_sqlite=True) == 1
    assert loader.default_workers(conf(), is_sqlite=False) >= 1
    assert loader.default_workers(conf(embedded_net_services="true"), is_sqlite=False) == 1
    assert loader.default_workers(conf(workers=3), is_sqlite=True) == 3


def test_the_api_no_longer_runs_net_services_by_default(conf):
    assert conf.api.embedded_net_services is False


def test_the_wsgi_module_reads_its_config_files_from_the_environment():
    env = {"NETSERVICE_CONFIG_FILES": "/etc/a.conf, /etc/b.conf,"}
    assert wsgi_api.config_files(env) == ["/etc/a.conf", "/etc/b.conf"]
    assert wsgi_api.config_files({}) == ["/etc/netservice/netservice.conf"]


def test_log_file_option_works(tmp_path, config_file):
    log = tmp_path / "x.log"
    conf = make_conf(config_file, "--log-file", str(log))
    bootstrap.setup_logging(conf)
    try:
        logging.getLogger("netservice.test").warning("to the file")
        assert "to the file" in log.read_text()
    finally:
        for handler in logging.getLogger().handlers[:]:
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_resources_carry_self_and_bookmark_links_that_answer(client):
    (first, *_) = client.get("/v1.0/network_services").json()["network_services"]
    links = {link["rel"]: link["href"] for link in first["links"]}
    assert links == {
        "self": f"http://localhost/v1.0/network_services/{first['name']}",
        "bookmark": f"http://localhost/network_services/{first['name']}",
    }
    own = client.get(links["self"].removeprefix("http://localhost")).json()
    assert own["network_service"]["links"] == first["links"]


def test_links_follow_the_proxy_headers(tmp_path, manager):
    app = _app(tmp_path, manager, oslo_middleware={"enable_proxy_headers_parsing": "true"})
    reply = ApiClient(app).get(
        "/v1.0/network_services/test",
        headers={"Forwarded": "proto=https;host=net.example.org"},
    )
    (own, _) = reply.json()["network_service"]["links"]
    assert own["href"] == "https://net.example.org/v1.0/network_services/test"
