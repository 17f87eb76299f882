"""The declarative mixin for a plugin's floating IP table.

Each plugin combines it with its own ``DeclarativeBase`` and prefixed table
names, as it does ipam's mixins::

    class FloatingIp(FloatingIpMixin, Base):
        __tablename__ = "flat_dhcp_floating_ips"
        __fixed_ip_table__ = "flat_dhcp_fixed_ips"

and its first revision was generated once from these helpers (it is now
frozen literal DDL in ``netservice.networks.migration``)::

    op.create_table(
        "flat_dhcp_floating_ips",
        *floating_ip_columns("flat_dhcp_floating_ips", "flat_dhcp_fixed_ips"),
        *floating_ip_constraints("flat_dhcp_floating_ips"),
    )
    for name, columns in floating_ip_indexes("flat_dhcp_floating_ips"):
        op.create_index(name, "flat_dhcp_floating_ips", columns)

``tests/db/test_migrations_match_models.py`` checks that models and
migrations agree.  The helpers describe revision 1 and are never edited; a
new column goes on the mixin and in a new revision of every plugin's branch.
"""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin

DEFAULT_POOL = "nova"

_S = sa.String


def _fixed_ip_fk(table: str, fixed_ip_table: str) -> sa.ForeignKey:
    # SET NULL: deleting a network hard-deletes its fixed IP rows (ipam), and
    # a floating IP left pointing at one must not block that; the reconciler
    # then drops the binding, since the desired state no longer has it.
    return sa.ForeignKey(f"{fixed_ip_table}.id", name=f"{table}_fixed_ip_fk", ondelete="SET NULL")


def floating_ip_columns(table: str, fixed_ip_table: str) -> list[sa.Column[Any]]:
    """Revision 1 of a floating IP table's columns (SoftDeleteMixin's included)."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("address", _S(39), nullable=False),
        sa.Column("address_int", sa.BigInteger, nullable=False),
        sa.Column("pool", _S(255), nullable=False),
        sa.Column("interface", _S(255), nullable=True),
        sa.Column("project_id", _S(255), nullable=True),
        sa.Column("auto_assigned", sa.Boolean, nullable=False),
        sa.Column("fixed_ip_id", sa.Integer, _fixed_ip_fk(table, fixed_ip_table), nullable=True),
        sa.Column("host", _S(255), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted", sa.Integer, nullable=False),
    ]


def floating_ip_constraints(table: str) -> list[Any]:
    """Revision 1 of a floating IP table's constraints, named after ``table``.

    One live row per address (soft-deleted rows carry ``deleted = id``).
    Leading with ``address_int``, the same index serves lookups by address
    and the range scans of ``floating create`` and ``floating delete``.
    """
    return [sa.UniqueConstraint("address_int", "deleted", name=f"uniq_{table}0address0deleted")]


def floating_ip_indexes(table: str) -> list[tuple[str, list[str]]]:
    """Revision 1 of a floating IP table's indexes as ``(name, columns)``.

    - ``pool_free``: the first free address of a pool, in address order
      (free rows have ``project_id IS NULL``), and whether a pool exists;
    - ``fixed_ip``: the floating IPs of a fixed IP;
    - ``project``: a project's floating IPs and its quota count;
    - ``host``: the bindings a host re-creates at start-up.
    """
    return [
        (f"{table}_pool_free_idx", ["pool", "deleted", "project_id", "address_int"]),
        (f"{table}_fixed_ip_idx", ["fixed_ip_id"]),
        (f"{table}_project_idx", ["project_id"]),
        (f"{table}_host_idx", ["host"]),
    ]


class FloatingIpMixin(SoftDeleteMixin):
    """One public address an operator created, free or held by a project.

    Free when ``project_id`` is None; associated when ``fixed_ip_id`` is
    set, and then NATed to that fixed IP on ``host``'s ``interface``.
    ``interface`` is what ``floating create --interface`` stored; None means
    the plugin's configured public interface.
    """

    __fixed_ip_table__: ClassVar[str]

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    address: orm.Mapped[str] = orm.mapped_column(_S(39), nullable=False)
    address_int: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, nullable=False)
    pool: orm.Mapped[str] = orm.mapped_column(_S(255), default=DEFAULT_POOL, nullable=False)
    interface: orm.Mapped[str | None] = orm.mapped_column(_S(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(_S(255))
    auto_assigned: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False, nullable=False)
    host: orm.Mapped[str | None] = orm.mapped_column(_S(255))

    @orm.declared_attr
    def fixed_ip_id(cls) -> orm.Mapped[int | None]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return orm.mapped_column(sa.Integer, _fixed_ip_fk(table, cls.__fixed_ip_table__))

    @orm.declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [sa.Index(name, *columns) for name, columns in floating_ip_indexes(table)]
        return (*floating_ip_constraints(table), *indexes)
