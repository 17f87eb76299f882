"""FlatDHCP's tables, prefixed ``flat_dhcp_``: networks, ethernet cards (VNICs),
fixed IPs and floating IPs, each from its framework's mixin."""

from __future__ import annotations

from netservice.floating.models import FloatingIpMixin
from netservice.ipam.models import FixedIpMixin, NetworkMixin
from netservice.networks.models import EthernetCardMixin
from netservice.networks.schema import Schema
from sqlalchemy import orm

NETWORKS = "flat_dhcp_networks"
ETHERNET_CARDS = "flat_dhcp_ethernet_cards"
FIXED_IPS = "flat_dhcp_fixed_ips"
FLOATING_IPS = "flat_dhcp_floating_ips"


class Base(orm.DeclarativeBase):
    pass


class FlatDhcpNetwork(NetworkMixin, Base):
    __tablename__ = NETWORKS


class FlatDhcpFixedIp(FixedIpMixin, Base):
    __tablename__ = FIXED_IPS
    __network_table__ = NETWORKS


class FlatDhcpEthernetCard(EthernetCardMixin, Base):
    __tablename__ = ETHERNET_CARDS
    __network_table__ = NETWORKS


class FlatDhcpFloatingIp(FloatingIpMixin, Base):
    __tablename__ = FLOATING_IPS
    __fixed_ip_table__ = FIXED_IPS


SCHEMA = Schema(
    network=FlatDhcpNetwork,
    fixed_ip=FlatDhcpFixedIp,
    vnic=FlatDhcpEthernetCard,
    floating_ip=FlatDhcpFloatingIp,
)
