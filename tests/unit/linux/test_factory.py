from __future__ import annotations

import io

from oslo_config import cfg

from netservice.linux import factory, firewall, opts
from netservice.linux.dnsmasq_dryrun import DryRunDnsmasq
from netservice.linux.memory import DryRunBackend


def dry_group():
    conf = cfg.ConfigOpts()
    group = opts.register_opts(conf)
    conf([])
    conf.set_override("dry_run", True, "linux")
    conf.set_override("namespace", "sandbox", "linux")
    conf.set_override("public_interface", "pub0", "linux")
    return group


def test_dry_run_builds_twins_that_need_no_root():
    group = dry_group()
    out = io.StringIO()
    links = factory.links(group, out=out)
    assert isinstance(links.backend, DryRunBackend) and links.namespace == "sandbox"
    assert isinstance(
        factory.dhcp(group, dhcp_script="/x", service="vlan", state_path="/tmp", out=out),
        DryRunDnsmasq,
    )
    fw = factory.firewall_driver(group, links, out=out)
    assert isinstance(fw.nft, firewall.DryRunNft)
    assert fw.config.public_interface == "pub0" and fw.config.routing_source_ip is None
    fw.ensure_base()
    assert out.getvalue().startswith("nft[sandbox] -f - <<EOF\nadd table ip netservice\n")


def _conf():
    conf = cfg.ConfigOpts()
    group = opts.register_opts(conf)
    conf([])
    return conf, group


def test_prepare_runs_dry_without_root(monkeypatch):
    conf, group = _conf()
    monkeypatch.setattr(factory.os, "geteuid", lambda: 1000)
    assert factory.prepare(group, conf) == "dry-run"
    assert conf.linux.dry_run is True
