"""Flat's tables: networks, ethernet cards (VNICs) and IP addresses, prefixed ``flat_``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from netservice.core.db.model_base import SoftDeleteMixin
from netservice.ipam.models import FixedIpMixin, NetworkMixin
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


def ethernet_card_columns() -> list[sa.Column[Any]]:
    """Revision 1 of ``flat_ethernet_cards``, for the migration."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("mac", sa.String(17), nullable=False),
        sa.Column(
            "network_id",
            sa.Integer,
            sa.ForeignKey(f"{NETWORKS}.id", name="flat_ethernet_cards_network_fk"),
            nullable=False,
        ),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("instance_id", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted", sa.Integer, nullable=False),
    ]


def ethernet_card_constraints() -> list[Any]:
    return [sa.UniqueConstraint("mac", "deleted", name="uniq_flat_ethernet_cards0mac0deleted")]


ETHERNET_CARD_INDEXES = [
    ("flat_ethernet_cards_instance_idx", ["instance_id"]),
    ("flat_ethernet_cards_project_idx", ["project_id"]),
]


class EthernetCard(SoftDeleteMixin, Base):
    """A VNIC: a MAC on one network, owned by a project.

    ``deleted`` is 0 for live cards and the row's ordinal otherwise; the id is
    a uuid, so a deleted card stores 1 (the MAC stays unique among live cards).
    """

    __tablename__ = ETHERNET_CARDS
    __table_args__ = (
        *ethernet_card_constraints(),
        *(sa.Index(name, *columns) for name, columns in ETHERNET_CARD_INDEXES),
    )

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17), nullable=False)
    network_id: orm.Mapped[int] = orm.mapped_column(
        sa.Integer,
        sa.ForeignKey(f"{NETWORKS}.id", name="flat_ethernet_cards_network_fk"),
        nullable=False,
    )
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    instance_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
