"""Every ``<interface>`` the agents produce, and the domain around it, is valid
against libvirt's RNG schemas (``virt-xml-validate``).

The agents name no nwfilter, so there is no ``<filter>`` document to check;
``test_an_nwfilter_document_is_checked_too`` keeps the checker honest for one.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from netservice_flat.agent import FlatNetAgent

from netservice.core.context import RequestContext
from netservice.dhcp.agent import DhcpNetAgent
from netservice.linux import guestimage, guests, libvirt_schema, process

CTX = RequestContext(project_id="p1")
VNIC = "0123abcd-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def _validator():
    if process.which_or_none("virt-xml-validate") and process.which_or_none("xmllint"):
        return
    reason = "virt-xml-validate (libvirt-clients) or xmllint (libxml2-utils) not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (CI=true)")
    pytest.skip(reason)


class Vnics:
    """The agent's view of the VNIC service: one bound VNIC on br100."""

    def get(self, context, vnic_id):
        return SimpleNamespace(id=vnic_id, mac="fa:16:3e:00:00:01", network_id="n1")

    def network_of(self, card):
        return SimpleNamespace(bridge="br100", injected=True)


def documents():
    flat = FlatNetAgent(Vnics(), lambda bridge: True, "compute-1")
    dhcp = DhcpNetAgent(Vnics(), dataplane=lambda: None)
    return {
        "flat": flat.get_interface_xml(CTX, VNIC),
        "flat_dhcp and vlan": dhcp.get_interface_xml(CTX, VNIC),
    }


@pytest.mark.parametrize("name", ["flat", "flat_dhcp and vlan"])
def test_each_agents_interface_is_valid(name):
    assert libvirt_schema.interface_errors(documents()[name]) is None


def test_the_domain_built_around_them_is_valid():
    image = guestimage.GuestImage(Path("/boot/vmlinuz"), Path("/tmp/initrd.gz"))
    xml = guests.domain_xml(
        "i-1",
        image,
        image.initrd,
        list(documents().values()),
        console=Path("/tmp/console.log"),
        control=Path("/tmp/control.sock"),
    )
    assert libvirt_schema.errors(xml, "domain") is None


def test_the_checker_rejects_what_libvirt_would():
    assert "fails to validate" in libvirt_schema.interface_errors(
        "<interface type='bridge'><mac address='not-a-mac'/></interface>"
    )


def test_an_nwfilter_document_is_checked_too():
    good = (
        "<filter name='netservice-vnic-x' chain='root'>"
        "<filterref filter='clean-traffic'><parameter name='IP' value='10.0.0.2'/></filterref>"
        "</filter>"
    )
    assert libvirt_schema.errors(good, "nwfilter") is None
    assert libvirt_schema.errors("<filter name='x'><bogus/></filter>", "nwfilter") is not None
