"""A plugin-less schema built from the mixins, on an in-memory SQLite database."""

from __future__ import annotations

import pytest
from sqlalchemy import orm

from netservice.core.db.session import Database
from netservice.ipam.models import FixedIpMixin, NetworkMixin
from netservice.networks.models import EthernetCardMixin
from netservice.networks.schema import Schema


class Base(orm.DeclarativeBase):
    pass


class Network(NetworkMixin, Base):
    __tablename__ = "nstest_networks"


class FixedIp(FixedIpMixin, Base):
    __tablename__ = "nstest_fixed_ips"
    __network_table__ = "nstest_networks"


class Card(EthernetCardMixin, Base):
    __tablename__ = "nstest_ethernet_cards"
    __network_table__ = "nstest_networks"


SCHEMA = Schema(network=Network, fixed_ip=FixedIp, vnic=Card)


@pytest.fixture
def database():
    db = Database("sqlite://")
    Base.metadata.create_all(db.engine)
    yield db
    db.dispose()
