"""Builds the data-plane drivers from the ``[linux]`` option group.

Each function takes the group object (``conf.linux``) and returns the real
driver, or its dry-run twin when ``dry_run`` is set (which needs no root and
no installed tool).  Callers own what they get and ``close()`` the links.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from netservice.linux import dnsmasq, firewall, nftables, process
from netservice.linux.dnsmasq_dryrun import DryRunDnsmasq
from netservice.linux.links import Links
from netservice.linux.memory import DryRunBackend, World
from netservice.linux.netlink import PyRoute2Backend

LOG = logging.getLogger(__name__)


def runner(group: Any, namespace: str | None = None, out: TextIO | None = None) -> process.Runner:
    """A program runner in ``namespace`` (default: the configured one)."""
    ns = group.namespace if namespace is None else namespace
    if group.dry_run:
        return process.DryRunRunner(ns, out=out or sys.stdout)
    return process.Runner(ns)


def links(group: Any, namespace: str | None = None, out: TextIO | None = None) -> Links:
    """Link operations in ``namespace`` (default: the configured one)."""
    ns = group.namespace if namespace is None else namespace
    if group.dry_run:
        backend = DryRunBackend(ns, World(), out=out or sys.stdout)
        return Links(backend, backend.for_namespace)
    return Links(PyRoute2Backend(ns), PyRoute2Backend)


def dhcp(
    group: Any,
    *,
    dhcp_script: str | None,
    service: str,
    state_path: str,
    config_files: Sequence[str] = (),
    out: TextIO | None = None,
) -> dnsmasq.Dnsmasq:
    """The dnsmasq driver; ``dhcp_script`` is the path of netservice-dhcpbridge.

    ``state_path`` is ``[DEFAULT] state_path`` (``PluginContext.state_path``).
    """
    state_dir = Path(state_path) / group.dnsmasq_dir
    kwargs: dict[str, Any] = {
        "dhcp_script": dhcp_script,
        "service": service,
        "config_files": config_files,
        "lease_time": group.dhcp_lease_time,
        "domain": group.dhcp_domain,
        "dns_servers": group.dns_server,
        "config_file": group.dnsmasq_config_file,
        "force_release": group.force_dhcp_release,
        "log_to_file": group.dnsmasq_log_to_file,
    }
    if group.dry_run:
        return DryRunDnsmasq(state_dir, runner(group, out=out), out=out or sys.stdout, **kwargs)
    return dnsmasq.Dnsmasq(state_dir, runner(group), **kwargs)


def nat_config(group: Any) -> nftables.NatConfig:
    return nftables.NatConfig(
        table=group.nft_table,
        public_interface=group.public_interface,
        routing_source_ip=group.routing_source_ip or None,
        metadata_host=group.metadata_host or None,
        metadata_port=group.metadata_port,
        dmz_cidrs=tuple(group.dmz_cidr),
    )


def firewall_driver(
    group: Any, link_ops: Links | None = None, out: TextIO | None = None
) -> firewall.Firewall:
    """NAT, floating IPs and anti-spoofing; shares ``link_ops`` when given."""
    run = runner(group, out=out)
    nft = firewall.DryRunNft(run, out=out or sys.stdout) if group.dry_run else firewall.Nft(run)
    return firewall.Firewall(
        nft,
        run,
        link_ops if link_ops is not None else links(group, out=out),
        nat_config(group),
        send_arp_for_ha=group.send_arp_for_ha,
        send_arp_count=group.send_arp_for_ha_count,
    )


def start(conf: Any) -> str:
    """``prepare`` for a daemon's start-up, saying in the log which mode it runs in."""
    mode = prepare(conf.linux, conf)
    if mode == "dry-run":
        LOG.warning(
            "the data plane runs dry: it prints the netlink, nft and dnsmasq changes it "
            "would make (%s)",
            "not root" if os.geteuid() != 0 else "[linux] dry_run",
        )
    elif mode == "sandbox":
        LOG.info("the data plane works in network namespace %s", conf.linux.namespace)
    return mode


def prepare(group: Any, conf: Any) -> str:
    """Get the data plane ready at start-up; returns "dry-run", "sandbox" or "host".

    Not root: the data plane runs dry (``[linux] dry_run`` is set on
    ``conf``), printing what it would change, because netlink, nft and
    dnsmasq all need root.  Root with ``[linux] namespace``: that namespace
    is created if missing, so the embedded default never touches the host's
    own interfaces.
    """
    if group.dry_run:
        return "dry-run"
    if os.geteuid() != 0:
        conf.set_override("dry_run", True, group="linux")
        return "dry-run"
    if group.namespace:
        host = Links(PyRoute2Backend(""), PyRoute2Backend)
        try:
            host.ensure_namespace(group.namespace)
        finally:
            host.close()
        return "sandbox"
    return "host"
