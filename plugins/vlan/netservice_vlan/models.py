"""VLAN's tables, prefixed ``vlan_``: networks, ethernet cards (VNICs),
fixed IPs and floating IPs, each from its framework's mixin."""

from __future__ import annotations

from netservice.floating.models import FloatingIpMixin
from netservice.ipam.models import FixedIpMixin, NetworkMixin
from netservice.networks.models import EthernetCardMixin
from netservice.networks.schema import Schema
from sqlalchemy import orm

NETWORKS = "vlan_networks"
ETHERNET_CARDS = "vlan_ethernet_cards"
FIXED_IPS = "vlan_fixed_ips"
FLOATING_IPS = "vlan_floating_ips"


class Base(orm.DeclarativeBase):
    pass


class VlanNetwork(NetworkMixin, Base):
    __tablename__ = NETWORKS


class VlanFixedIp(FixedIpMixin, Base):
    __tablename__ = FIXED_IPS
    __network_table__ = NETWORKS


class VlanEthernetCard(EthernetCardMixin, Base):
    __tablename__ = ETHERNET_CARDS
    __network_table__ = NETWORKS


class VlanFloatingIp(FloatingIpMixin, Base):
    __tablename__ = FLOATING_IPS
    __fixed_ip_table__ = FIXED_IPS


SCHEMA = Schema(
    network=VlanNetwork,
    fixed_ip=VlanFixedIp,
    vnic=VlanEthernetCard,
    floating_ip=VlanFloatingIp,
)
