"""Flat's tables: networks, ethernet cards (VNICs) and IP addresses, prefixed ``flat_``."""

from __future__ import annotations

from netservice.ipam.models import FixedIpMixin, NetworkMixin
from netservice.networks.models import EthernetCardMixin
from netservice.networks.schema import Schema
from sqlalchemy import orm

NETWORKS = "flat_networks"
ETHERNET_CARDS = "flat_ethernet_cards"
IP_ADDRESSES = "flat_ip_addresses"


class Base(orm.DeclarativeBase):
    pass


class FlatNetwork(NetworkMixin, Base):
    __tablename__ = NETWORKS


class FlatIpAddress(FixedIpMixin, Base):
    __tablename__ = IP_ADDRESSES
    __network_table__ = NETWORKS


class EthernetCard(EthernetCardMixin, Base):
    __tablename__ = ETHERNET_CARDS
    __network_table__ = NETWORKS


SCHEMA = Schema(network=FlatNetwork, fixed_ip=FlatIpAddress, vnic=EthernetCard)
