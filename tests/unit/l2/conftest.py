"""Fixtures of the l2 unit tests: the plugin on SQLite with an in-memory kernel."""

from __future__ import annotations

import pytest
from netservice_l2.plugin import L2Plugin

from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.linux.links import Links
from netservice.linux.memory import MemoryBackend
from netservice.testing.config import make_conf, write_config

P1 = RequestContext(user_id="u1", project_id="p1", roles=("member",))


@pytest.fixture
def config_path(tmp_path):
    return write_config(str(tmp_path), ("l2",), default="l2",
                        extra={"l2": {"vxlan_local_ip": "192.0.2.1"}})  # fmt: skip


@pytest.fixture
def kernel():
    backend = MemoryBackend()
    backend.add_link("eth1", "dummy")
    return backend


@pytest.fixture
def plugin(config_path, kernel):
    manager = bootstrap.open_services(make_conf(config_path))
    bootstrap.sync_schema(manager)
    built = L2Plugin(manager.get("l2").context, open_links=lambda: Links(kernel))
    yield built
    manager.database.dispose()
