from netservice.compute.libvirt import interface_xml


def test_interface_xml_escapes_and_omits_an_absent_filter():
    assert interface_xml("fa:16:3e:00:00:01", "br'1") == (
        "<interface type='bridge'><mac address='fa:16:3e:00:00:01'/>"
        "<source bridge='br&#x27;1'/><model type='virtio'/></interface>"
    )
