from __future__ import annotations

from oslo_config import cfg

from netservice.linux import opts


def test_list_opts_is_the_linux_group():
    [(group, options)] = opts.list_opts()
    assert group == "linux"
    names = {o.name for o in options}
    assert {
        "namespace",
        "dry_run",
        "dhcp_lease_time",
        "nft_table",
        "send_arp_for_ha_count",
    } <= names


def test_defaults():
    conf = cfg.ConfigOpts()
    group = opts.register_opts(conf)
    conf([])
    assert group.namespace == ""
    assert group.dhcp_lease_time == 86400
    assert group.dhcp_domain == "novalocal"
    assert group.metadata_port == 8775
    assert group.send_arp_for_ha is True and group.send_arp_for_ha_count == 3
    assert group.nft_table == "netservice"
