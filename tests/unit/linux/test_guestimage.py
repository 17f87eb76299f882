"""The guest image's pure parts: module order, cpio, injection, the domain XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from netservice.core.exceptions import InvalidInput
from netservice.linux import cpio, guestimage, guests

DEP = """\
kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/net/virtio_net.ko: kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko
"""  # noqa: E501


def test_dependencies_load_first_and_once():
    order = guestimage.load_order(DEP, guestimage.MODULES[:2])
    names = [p.rsplit("/", 1)[1] for p in order]
    assert names == ["virtio_ring.ko", "virtio.ko", "virtio_pci.ko", "failover.ko",
                     "virtio_net.ko"]  # fmt: skip


def test_cpio_members_are_aligned_and_end_with_the_trailer():
    data = cpio.archive([cpio.directory("etc"), cpio.file("etc/x", b"abc")])
    assert data.startswith(b"070701") and len(data) % 4 == 0
    assert b"etc/x\0" in data and b"abc" in data and b"TRAILER!!!\0" in data


def test_injection_archive_makes_the_parent_directories():
    data = guestimage.injection_archive({"/etc/network/interfaces": "auto lo\n"})
    assert data.index(b"etc\0") < data.index(b"etc/network\0") < data.index(
        b"etc/network/interfaces\0"
    )
    assert b"auto lo\n" in data


def test_domain_xml_copies_the_interfaces_verbatim_and_only_interfaces():
    image = guestimage.GuestImage(Path("/k"), Path("/i"))
    iface = "<interface type='bridge'><mac address='fa:16:3e:00:00:01'/></interface>"
    xml = guests.domain_xml("g1", image, Path("/i2"), [iface, iface],
                            console=Path("/c"), control=Path("/s"))  # fmt: skip
    assert xml.count(iface) == 2 and "<initrd>/i2</initrd>" in xml
    assert "netservice.name=g1" in xml
    with pytest.raises(InvalidInput, match="<disk> is not <interface>"):
        guests.domain_xml("g1", image, Path("/i"), ["<disk/>"],
                          console=Path("/c"), control=Path("/s"))  # fmt: skip
