"""The declarative mixin for a plugin's ethernet-card (VNIC) table.

A plugin combines it with its own ``DeclarativeBase`` and prefixed names::

    class EthernetCard(EthernetCardMixin, Base):
        __tablename__ = "flat_ethernet_cards"
        __network_table__ = "flat_networks"

(``netservice.networks.tables.declare`` does this for a plugin).  The
first revision is frozen DDL (``netservice.networks.migration``);
``ethernet_card_columns()`` and friends describe revision 1 and are never
edited, as ``netservice.ipam.models``'s helpers.
"""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin


def _network_fk(table: str, network_table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{network_table}.id", name=f"{table}_network_fk")


def ethernet_card_columns(table: str, network_table: str) -> list[sa.Column[Any]]:
    """Revision 1 of an ethernet-card table's columns (SoftDeleteMixin's included)."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("mac", sa.String(17), nullable=False),
        sa.Column("network_id", sa.Integer, _network_fk(table, network_table), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("instance_id", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted", sa.Integer, nullable=False),
    ]


def ethernet_card_constraints(table: str) -> list[Any]:
    """Revision 1: one live card per MAC (``deleted`` is 0 only for live rows)."""
    return [sa.UniqueConstraint("mac", "deleted", name=f"uniq_{table}0mac0deleted")]


def ethernet_card_indexes(table: str) -> list[tuple[str, list[str]]]:
    """Revision 1 of an ethernet-card table's indexes as ``(name, columns)``."""
    return [
        (f"{table}_instance_idx", ["instance_id"]),
        (f"{table}_project_idx", ["project_id"]),
    ]


class EthernetCardMixin(SoftDeleteMixin):
    """A VNIC: a MAC on one network, owned by a project.

    ``deleted`` is 0 for live cards and a positive number otherwise (the id
    is a uuid, so the service derives one from it); the MAC stays unique
    among live cards.
    """

    __network_table__: ClassVar[str]

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17), nullable=False)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    instance_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))

    @orm.declared_attr
    def network_id(cls) -> orm.Mapped[int]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return orm.mapped_column(
            sa.Integer, _network_fk(table, cls.__network_table__), nullable=False
        )

    @orm.declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [sa.Index(name, *columns) for name, columns in ethernet_card_indexes(table)]
        return (*ethernet_card_constraints(table), *indexes)
