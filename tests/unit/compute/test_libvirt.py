from netservice.compute.libvirt import interface_xml


def test_interface_xml_escapes_and_omits_an_absent_filter():
    assert interface_xml("fa:16:3e:00:00:01", "br'1") == (
        "<interface type='bridge'><mac address='fa:16:3e:00:00:01'/>"
        "<source bridge='br&#x27;1'/><model type='virtio'/></interface>"
    )


def test_interface_xml_names_the_host_end_when_asked():
    from netservice.linux.standin import parse_interfaces

    xml = interface_xml("fa:16:3e:00:00:01", "br100", target_dev="tap0123456789a", filter_name="f")
    assert "<target dev='tap0123456789a'/>" in xml and "<filterref filter='f'/>" in xml
    [vnic] = parse_interfaces(xml)
    assert (vnic.mac, vnic.bridge, vnic.host_ifname) == (
        "fa:16:3e:00:00:01",
        "br100",
        "tap0123456789a",
    )
