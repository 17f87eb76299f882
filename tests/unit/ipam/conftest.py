"""Tables built from the ipam mixins, on a fresh SQLite file per test."""

from __future__ import annotations

import pytest
from sqlalchemy import orm

from netservice.core.db.session import Database
from netservice.ipam import planner
from netservice.ipam.allocator import Allocator
from netservice.ipam.models import FixedIpMixin, NetworkMixin


class Base(orm.DeclarativeBase):
    pass


class Network(NetworkMixin, Base):
    __tablename__ = "ipamtest_networks"


class FixedIp(FixedIpMixin, Base):
    __tablename__ = "ipamtest_fixed_ips"
    __network_table__ = "ipamtest_networks"


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/ipam.sqlite")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def allocator():
    return Allocator(Network.__table__, FixedIp.__table__)


@pytest.fixture
def make_network(db, allocator):
    """Plan and write one network; returns its id."""

    def make(cidr="10.0.0.0/24", **options):
        request = planner.NetworkRequest(label="net", cidr=cidr, num_networks=1, **options)
        (planned,) = planner.plan_networks(request, planner.Topology(), planner.Used()).networks
        with db.writer() as session:
            values = {k: v for k, v in vars(planned).items()}
            return allocator.insert_network(session.connection(), values, planned.reserved())

    return make
