"""A tiny plugin schema built from the mixins, for the floating IP tests of every tier.

The same tables twice: as a plugin declares them (``Base``), and as its
alembic migration creates them from the column helpers
(``migration_metadata``), so the tests can check the two agree.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.session import Database
from netservice.floating import models as floating_models
from netservice.floating.models import FloatingIpMixin
from netservice.ipam import models as ipam_models
from netservice.ipam import planner
from netservice.ipam.allocator import Allocator
from netservice.ipam.models import FixedIpMixin, NetworkMixin

NETWORKS = "fiptest_networks"
FIXED_IPS = "fiptest_fixed_ips"
FLOATING_IPS = "fiptest_floating_ips"


class Base(orm.DeclarativeBase):
    pass


class Network(NetworkMixin, Base):
    __tablename__ = NETWORKS


class FixedIp(FixedIpMixin, Base):
    __tablename__ = FIXED_IPS
    __network_table__ = NETWORKS


class FloatingIp(FloatingIpMixin, Base):
    __tablename__ = FLOATING_IPS
    __fixed_ip_table__ = FIXED_IPS


def migration_metadata() -> sa.MetaData:
    """The tables as a migration creates them with the helpers."""
    metadata = sa.MetaData()
    sa.Table(
        NETWORKS,
        metadata,
        *ipam_models.network_columns(),
        *ipam_models.network_constraints(NETWORKS),
    )
    fixed = sa.Table(
        FIXED_IPS,
        metadata,
        *ipam_models.fixed_ip_columns(NETWORKS),
        *ipam_models.fixed_ip_constraints(FIXED_IPS),
    )
    for name, columns in ipam_models.fixed_ip_indexes(FIXED_IPS):
        sa.Index(name, *(fixed.c[c] for c in columns))
    floating = sa.Table(
        FLOATING_IPS,
        metadata,
        *floating_models.floating_ip_columns(FLOATING_IPS, FIXED_IPS),
        *floating_models.floating_ip_constraints(FLOATING_IPS),
    )
    for name, columns in floating_models.floating_ip_indexes(FLOATING_IPS):
        sa.Index(name, *(floating.c[c] for c in columns))
    return metadata


def allocator() -> Allocator:
    return Allocator(Network.__table__, FixedIp.__table__)


def make_network(db: Database, cidr: str = "10.0.0.0/24") -> int:
    """Plan and write one network; returns its id."""
    request = planner.NetworkRequest(label="net", cidr=cidr, num_networks=1)
    (planned,) = planner.plan_networks(request, planner.Topology(), planner.Used()).networks
    with db.writer() as session:
        return allocator().insert_network(
            session.connection(), dataclasses.asdict(planned), planned.reserved()
        )


def allocate_fixed(db: Database, network_id: int, instance_id: str = "i-1") -> str:
    """Allocate a fixed IP to ``instance_id``; returns its address."""
    with db.writer() as session:
        return (
            allocator().allocate(session.connection(), network_id, instance_id=instance_id).address
        )


def deallocate_fixed(db: Database, network_id: int, address: str) -> None:
    with db.writer() as session:
        allocator().deallocate(session.connection(), network_id, address, free_now=True)


def floating_rows(db: Database) -> list[tuple]:
    """Every floating IP row, deleted ones included, for "nothing half-written" checks."""
    table = FloatingIp.__table__
    with db.writer() as session:
        return [tuple(row) for row in session.execute(sa.select(table).order_by(table.c.id))]
