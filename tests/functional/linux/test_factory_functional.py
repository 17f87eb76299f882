"""Start-up preparation of the data plane, as root."""

from __future__ import annotations

import uuid

from oslo_config import cfg
from pyroute2 import netns

from netservice.linux import factory, opts


def test_prepare_creates_the_sandbox_namespace():
    conf = cfg.ConfigOpts()
    group = opts.register_opts(conf)
    conf([])
    name = f"nst-prep-{uuid.uuid4().hex[:6]}"
    conf.set_override("namespace", name, "linux")
    try:
        assert factory.prepare(group, conf) == "sandbox"
        assert factory.prepare(group, conf) == "sandbox"  # idempotent
        assert name in netns.listnetns()
        assert conf.linux.dry_run is False
    finally:
        if name in netns.listnetns():
            netns.remove(name)
