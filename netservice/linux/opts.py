"""The ``[linux]`` options: the data plane's configuration.

The core registers them (``list_opts``) and hands the group to the factory
functions in ``netservice.linux.factory``; no driver reads a global CONF.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

GROUP = "linux"

host_opts: list[cfg.Opt] = [
    cfg.StrOpt(
        "namespace",
        default="",
        help="Named network namespace the data plane works in. Empty (production) "
        "is the host's own; the development setup uses a sandbox namespace.",
    ),
    cfg.BoolOpt(
        "dry_run",
        default=False,
        help="Print the netlink, nft and dnsmasq changes instead of making them.",
    ),
    cfg.StrOpt(
        "dnsmasq_dir",
        # nova's networks_path held the same: dnsmasq's files, one set per network.
        deprecated_name="networks_path",
        deprecated_group="DEFAULT",
        default="dnsmasq",
        help="Directory, relative to [DEFAULT] state_path unless absolute, holding one "
        "sub-directory per network (pid file, hosts.d/, opts).",
    ),
]

dhcp_opts: list[cfg.Opt] = [
    cfg.IntOpt(
        "dhcp_lease_time",
        deprecated_name="dhcp_lease_time",
        deprecated_group="DEFAULT",
        default=86400,
        min=120,
        help="DHCP lease time, seconds.",
    ),
    cfg.StrOpt(
        "dhcp_domain",
        deprecated_name="dhcp_domain",
        deprecated_group="DEFAULT",
        default="novalocal",
        help="Domain of instance host names.",
    ),
    cfg.ListOpt(
        "dns_server",
        deprecated_name="dns_server",
        deprecated_group="DEFAULT",
        default=[],
        help="Upstream DNS servers for dnsmasq (--no-resolv --server=...); "
        "empty: dnsmasq reads /etc/resolv.conf.",
    ),
    cfg.StrOpt(
        "dnsmasq_config_file",
        deprecated_name="dnsmasq_config_file",
        deprecated_group="DEFAULT",
        default="",
        help="Extra dnsmasq configuration file (--conf-file).",
    ),
    cfg.BoolOpt(
        "force_dhcp_release",
        deprecated_name="force_dhcp_release",
        deprecated_group="DEFAULT",
        default=True,
        help="Run dhcp_release when a fixed IP is deallocated.",
    ),
    cfg.BoolOpt(
        "dnsmasq_log_to_file",
        default=False,
        help="Log each dnsmasq to dnsmasq.log in its network directory instead of syslog.",
    ),
]

nat_opts: list[cfg.Opt] = [
    cfg.StrOpt(
        "public_interface",
        deprecated_name="public_interface",
        deprecated_group="DEFAULT",
        default="eth0",
        help="Interface carrying floating IPs and SNAT (nova's default, eth0), and the "
        "interface 'floating create' stores without --interface. Empty: floating IPs "
        "get no local route and SNAT matches any output interface.",
    ),
    cfg.StrOpt(
        "routing_source_ip",
        deprecated_name="routing_source_ip",
        deprecated_group="DEFAULT",
        default="",
        help="Source address fixed ranges are SNATed to; empty: no SNAT rule.",
    ),
    cfg.StrOpt(
        "metadata_host",
        deprecated_name="metadata_host",
        deprecated_group="DEFAULT",
        default="",
        help="Address of the metadata service.",
    ),
    cfg.PortOpt(
        "metadata_port",
        deprecated_name="metadata_port",
        deprecated_group="DEFAULT",
        default=8775,
        help="Port of the metadata service.",
    ),
    cfg.ListOpt(
        "dmz_cidr",
        deprecated_name="dmz_cidr",
        deprecated_group="DEFAULT",
        default=[],
        help="Destinations fixed IPs reach without SNAT.",
    ),
    cfg.BoolOpt(
        "send_arp_for_ha",
        deprecated_name="send_arp_for_ha",
        deprecated_group="DEFAULT",
        default=True,
        help="Send gratuitous ARP when a floating IP is bound.",
    ),
    cfg.IntOpt(
        "send_arp_for_ha_count",
        deprecated_name="send_arp_for_ha_count",
        deprecated_group="DEFAULT",
        default=3,
        min=0,
        help="How many gratuitous ARPs to send.",
    ),
    cfg.StrOpt(
        "nft_table",
        default="netservice",
        help="Name of the nftables tables (ip and bridge families) netservice owns.",
    ),
]

ALL_OPTS: list[cfg.Opt] = host_opts + dhcp_opts + nat_opts


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator and the core's option registration."""
    return [(GROUP, ALL_OPTS)]


def register_opts(conf: cfg.ConfigOpts) -> Any:
    """Register the options on ``conf`` and return the ``[linux]`` group."""
    conf.register_opts(ALL_OPTS, group=GROUP)
    return conf[GROUP]
