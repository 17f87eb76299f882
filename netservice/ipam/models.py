"""Declarative mixins for a plugin's network and fixed IP tables.

Each plugin combines them with its own ``DeclarativeBase`` and prefixed
table names::

    class FlatNetwork(NetworkMixin, Base):
        __tablename__ = "flat_networks"

    class FlatIpAddress(FixedIpMixin, Base):
        __tablename__ = "flat_ip_addresses"
        __network_table__ = "flat_networks"

(``netservice.networks.tables.declare`` does this for a plugin).
``NetworkMixin``'s columns are ``netservice.networks.domain.Network``'s
declared fields (``network_mixin``).  The tables' first revision is frozen
literal DDL (``netservice.networks.migration``); ``network_columns()`` and
``fixed_ip_columns()`` describe that revision 1 for code that builds the
tables by hand, and are never edited.  A new network column is a field of
the declaration (a fixed IP column goes on ``FixedIpMixin``) and a new
revision of every plugin's branch;
``tests/db/test_migrations_match_models.py`` fails until both agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql

from netservice.core.db.model_base import SoftDeleteMixin, utcnow
from netservice.networks.domain import Network, NetworkField, network_fields

# MySQL/MariaDB DATETIME drops fractions unless asked; "longest free first"
# would otherwise tie within a second.
PreciseDateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

_S = sa.String


def network_columns() -> list[sa.Column[Any]]:
    """Revision 1 of a network table's columns (SoftDeleteMixin's included)."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", _S(36), nullable=False),
        sa.Column("label", _S(255), nullable=False),
        sa.Column("cidr", _S(43), nullable=True),
        sa.Column("netmask", _S(39), nullable=True),
        sa.Column("gateway", _S(39), nullable=True),
        sa.Column("broadcast", _S(39), nullable=True),
        sa.Column("dhcp_server", _S(39), nullable=True),
        sa.Column("dhcp_start", _S(39), nullable=True),
        sa.Column("cidr_v6", _S(43), nullable=True),
        sa.Column("netmask_v6", _S(39), nullable=True),
        sa.Column("gateway_v6", _S(39), nullable=True),
        sa.Column("fixed_cidr", _S(43), nullable=True),
        sa.Column("allowed_start", _S(39), nullable=True),
        sa.Column("allowed_end", _S(39), nullable=True),
        sa.Column("dns1", _S(39), nullable=True),
        sa.Column("dns2", _S(39), nullable=True),
        sa.Column("bridge", _S(255), nullable=True),
        sa.Column("bridge_interface", _S(255), nullable=True),
        sa.Column("multi_host", sa.Boolean, nullable=False),
        sa.Column("injected", sa.Boolean, nullable=False),
        sa.Column("project_id", _S(255), nullable=True),
        sa.Column("host", _S(255), nullable=True),
        sa.Column("vlan", sa.Integer, nullable=True),
        sa.Column("vpn_private_address", _S(39), nullable=True),
        sa.Column("vpn_public_address", _S(39), nullable=True),
        sa.Column("vpn_public_port", sa.Integer, nullable=True),
        sa.Column("first_address", sa.BigInteger, nullable=True),
        sa.Column("last_address", sa.BigInteger, nullable=True),
        sa.Column("next_address", sa.BigInteger, nullable=True),
        sa.Column("next_used", sa.BigInteger, nullable=True),
        sa.Column("free_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted", sa.Integer, nullable=False),
    ]


def network_constraints(table: str) -> list[Any]:
    """Revision 1 of a network table's constraints, named after ``table``."""
    return [sa.UniqueConstraint("uuid", "deleted", name=f"uniq_{table}0uuid0deleted")]


def fixed_ip_columns(network_table: str) -> list[sa.Column[Any]]:
    """Revision 1 of a fixed IP table's columns."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "network_id",
            sa.Integer,
            sa.ForeignKey(f"{network_table}.id", name=f"{network_table}_fixed_ip_network_fk"),
            nullable=False,
        ),
        sa.Column("address", _S(39), nullable=False),
        sa.Column("address_int", sa.BigInteger, nullable=False),
        sa.Column("instance_id", _S(255), nullable=True),
        sa.Column("vnic_id", _S(36), nullable=True),
        sa.Column("allocated", sa.Boolean, nullable=False),
        sa.Column("leased", sa.Boolean, nullable=False),
        sa.Column("reserved", sa.Boolean, nullable=False),
        sa.Column("host", _S(255), nullable=True),
        sa.Column("freed_at", PreciseDateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
    ]


def fixed_ip_constraints(table: str) -> list[Any]:
    """Revision 1 of a fixed IP table's constraints, named after ``table``.

    ``(address_int, network_id)`` leads with the address, so the same index
    answers lookups by address and the allocator's range scans (a plugin's
    networks never overlap).
    """
    return [sa.UniqueConstraint("address_int", "network_id", name=f"uniq_{table}0address0network")]


def fixed_ip_indexes(table: str) -> list[tuple[str, list[str]]]:
    """Revision 1 of a fixed IP table's indexes as ``(name, columns)``.

    ``(network_id, freed_at)`` is the free list, oldest first.
    ``(network_id, updated_at)`` and ``(network_id, created_at)`` let a
    network host read only the rows changed since its last pass, whatever
    the network's size (``netservice.dhcp.state``).
    """
    return [
        (f"{table}_free_idx", ["network_id", "freed_at"]),
        (f"{table}_changed_idx", ["network_id", "updated_at"]),
        (f"{table}_created_idx", ["network_id", "created_at"]),
        (f"{table}_vnic_idx", ["vnic_id"]),
        (f"{table}_instance_idx", ["instance_id"]),
    ]


_KINDS: dict[str, Callable[[int | None], Any]] = {
    "text": _S,
    "integer": lambda _length: sa.Integer(),
    "bigint": lambda _length: sa.BigInteger(),
    "boolean": lambda _length: sa.Boolean(),
}


def network_column(spec: NetworkField) -> orm.MappedColumn[Any]:
    """The column of one declared field: its kind, length and nullability.

    A boolean defaults to False, so a row written without it is not NULL.
    """
    column_type = _KINDS[spec.kind](spec.length)
    if spec.kind == "boolean":
        return orm.mapped_column(column_type, default=False, nullable=spec.nullable)
    return orm.mapped_column(column_type, nullable=spec.nullable)


class NetworkMixinBase(SoftDeleteMixin):
    """What every network table has besides the declared fields: the allocation cursor.

    ``first_address``..``last_address`` is the allocatable range as integers;
    ``next_address`` is the lowest address never handed out (addresses below
    it all have rows); no row exists in ``[next_address, next_used)``, so the
    allocator needs no query to know the cursor's address is unused;
    ``free_count`` counts rows that are free to reuse.
    """

    # First, before the declared fields, as revision 1 has it.
    id: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, primary_key=True, autoincrement=True, sort_order=-1
    )
    first_address: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    last_address: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    next_address: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    next_used: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    free_count: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0, nullable=False)

    @orm.declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return tuple(network_constraints(cls.__tablename__))  # type: ignore[attr-defined]


def network_mixin(declaration: type[Network] = Network) -> type[NetworkMixinBase]:
    """A network mixin with a column for each of ``declaration``'s fields.

    ``declaration`` is ``netservice.networks.domain.Network`` or a subclass
    adding fields; each field's ``NetworkField`` gives its column
    (``network_column``).  The cursor columns and ``id`` come from
    ``NetworkMixinBase``, the timestamps and ``deleted`` from SoftDeleteMixin.
    """
    columns: dict[str, Any] = {
        name: network_column(spec) for name, spec in network_fields(declaration)
    }
    return type(
        f"{declaration.__name__}Mixin",
        (NetworkMixinBase,),
        {**columns, "__module__": __name__, "__doc__": NetworkMixinBase.__doc__},
    )


NetworkMixin = network_mixin()
"""A network: what ``network create`` planned (``domain.Network``'s fields),
plus the allocation cursor (``NetworkMixinBase``)."""


class FixedIpMixin:
    """One address that has been used or reserved.  Unused addresses have no row.

    A row is free to reuse exactly when ``freed_at`` is set: not allocated,
    not reserved, not leased and not held by an instance.
    """

    __network_table__: ClassVar[str]

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    address: orm.Mapped[str] = orm.mapped_column(_S(39), nullable=False)
    address_int: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, nullable=False)
    instance_id: orm.Mapped[str | None] = orm.mapped_column(_S(255))
    vnic_id: orm.Mapped[str | None] = orm.mapped_column(_S(36))
    allocated: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False, nullable=False)
    leased: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False, nullable=False)
    reserved: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False, nullable=False)
    host: orm.Mapped[str | None] = orm.mapped_column(_S(255))
    freed_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(PreciseDateTime)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, nullable=False
    )
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, onupdate=utcnow
    )

    @orm.declared_attr
    def network_id(cls) -> orm.Mapped[int]:
        table = cls.__network_table__
        return orm.mapped_column(
            sa.Integer,
            sa.ForeignKey(f"{table}.id", name=f"{table}_fixed_ip_network_fk"),
            nullable=False,
        )

    @orm.declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [sa.Index(name, *columns) for name, columns in fixed_ip_indexes(table)]
        return (*fixed_ip_constraints(table), *indexes)
