"""The auth pipelines: noauth trusts headers, keystone demands a token."""

from __future__ import annotations

import pytest

from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config


def test_noauth_roles_make_an_admin(app):
    assert ApiClient(app, "p1", ("Admin",)).get("/v1.0/test/admin_thing").status == 200
    assert ApiClient(app, "p1", ("member",)).get("/v1.0/test/admin_thing").status == 403


# What auth_token needs to validate tokens (its own service credentials).
KEYSTONE_OPTIONS = {
    "www_authenticate_uri": "http://127.0.0.1:5000/v3",
    "auth_type": "password",
    "auth_url": "http://127.0.0.1:5000/v3",
    "username": "netservice",
    "password": "secret",
    "project_name": "service",
    "user_domain_name": "Default",
    "project_domain_name": "Default",
}


def _keystone_conf(tmp_path, section):
    extra = {"api": {"auth_strategy": "keystone"}}
    if section is not None:
        extra["keystone_authtoken"] = section
    return make_conf(write_config(str(tmp_path), ["test"], default="test", extra=extra))


@pytest.mark.parametrize(
    ("section", "named"),
    [
        (None, "needs a [keystone_authtoken] section"),
        ({"www_authenticate_uri": "http://127.0.0.1:5000/v3"}, "[keystone_authtoken] auth_type"),
        ({"auth_type": "password"}, "[keystone_authtoken] lacks auth_url"),
        ({"auth_type": "no-such-plugin"}, "[keystone_authtoken] auth_type"),
    ],
)
def test_keystone_without_its_options_stops_start_up(tmp_path, section, named):
    pytest.importorskip("keystonemiddleware", reason="keystonemiddleware is not installed")
    conf = _keystone_conf(tmp_path, section)
    manager = bootstrap.open_services(conf)
    try:
        with pytest.raises(exceptions.ConfigurationError) as caught:
            build_app(conf, manager)
    finally:
        manager.database.dispose()
    assert named in str(caught.value) and "\n" not in str(caught.value)


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
            "keystone_authtoken": KEYSTONE_OPTIONS,
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
