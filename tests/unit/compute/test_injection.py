from netservice.compute.injection import render_interfaces


def _nic(**kw):
    base = dict.fromkeys(
        ["cidr", "cidr_v6", "netmask", "netmask_v6", "gateway", "gateway_v6", "dhcp_server",
         "broadcast", "ra_server", "ip_address", "address_v6"]
    )  # fmt: skip
    base.update(dns=[], mac_address="fa:16:3e:00:00:01")
    base.update(kw)
    return base


def test_loopback_only_without_nics():
    assert render_interfaces([]).endswith("auto lo\niface lo inet loopback\n")


def test_unbound_nic_gets_only_auto_and_v6_only_nic_gets_inet6():
    text = render_interfaces(
        [_nic(), _nic(address_v6="fd00::1", netmask_v6="64", gateway_v6=None)]
    )
    assert "auto eth0\n\nauto eth1\niface eth1 inet6 static\n    address fd00::1\n" in text
    assert "inet static" not in text
