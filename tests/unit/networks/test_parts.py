"""The service-side part interfaces: what implements them today."""

from __future__ import annotations

import types

from netservice_flat.models import SCHEMA
from netservice_vlan.vpn import ProjectVpns

from netservice.floating.service import FloatingIps
from netservice.ipam.allocator import Allocator
from netservice.networks.parts import Addressing, FloatingIpsPart, VpnsPart


def test_the_ipam_allocator_is_the_addressing_part():
    assert isinstance(Allocator.for_models(SCHEMA.network, SCHEMA.fixed_ip), Addressing)


def test_floating_ips_and_project_vpns_are_the_optional_extras():
    assert issubclass(FloatingIps, FloatingIpsPart)
    assert issubclass(ProjectVpns, VpnsPart)


def test_something_without_the_methods_is_no_part():
    half = types.SimpleNamespace(allocate=lambda conn, network_id: None)
    assert not isinstance(half, Addressing)
    assert not isinstance(half, VpnsPart)
