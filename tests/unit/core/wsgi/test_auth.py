"""The auth pipelines: noauth trusts headers, keystone demands a token."""

from __future__ import annotations

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config


def test_noauth_roles_make_an_admin(app):
    assert ApiClient(app, "p1", ("Admin",)).get("/v1.0/test/admin_thing").status == 200
    assert ApiClient(app, "p1", ("member",)).get("/v1.0/test/admin_thing").status == 403


def test_keystone_refuses_requests_without_a_token(tmp_path):
    pytest.importorskip("keystonemiddleware", reason="keystonemiddleware is not installed")
    path = write_config(
        str(tmp_path),
        ["test"],
        default="test",
        extra={
            "api": {"auth_strategy": "keystone"},
            # No keystone runs here: a request without a token is refused
            # before auth_token would contact it.
            "keystone_authtoken": {"www_authenticate_uri": "http://127.0.0.1:5000/v3"},
        },
    )
    conf = make_conf(path)
    manager = bootstrap.open_services(conf)
    bootstrap.sync_schema(manager)
    app = build_app(conf, manager)
    # Identity headers sent by a client are not trusted under keystone.
    reply = ApiClient(app, "p1", ("admin",)).get("/v1.0/network_services")
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Keystone uri=")
