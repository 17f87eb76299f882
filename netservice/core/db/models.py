"""The core's tables.  Plugins keep their own tables in their own metadata."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin, utcnow


class CoreBase(orm.DeclarativeBase):
    pass


class ProjectNetworkService(SoftDeleteMixin, CoreBase):
    """Which network service serves a project.  No row: the default service."""

    __tablename__ = "project_network_services"
    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "deleted", name="uniq_project_network_services0project_id0deleted"
        ),
    )

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    network_service: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)


class InstanceVirtualNic(SoftDeleteMixin, CoreBase):
    """An instance's VNICs, in the order the guest sees them.

    ``project_id`` is not in DESIGN.md's column list: it is kept so another
    project's instance answers 404 without asking a plugin.
    """

    __tablename__ = "instance_virtual_nics"
    __table_args__ = (
        sa.UniqueConstraint(
            "virtual_nic_id", "deleted", name="uniq_instance_virtual_nics0virtual_nic_id0deleted"
        ),
        sa.Index("instance_virtual_nics_instance_id_idx", "instance_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    instance_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    virtual_nic_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), nullable=True)


class NetworkStatus(CoreBase):
    """What a host's net-service last made of one network: ACTIVE or ERROR.

    Observed state, written by the reconcilers (``netservice.core.network_status``);
    the desired state stays in the plugin's own tables.  Keyed by host, because
    every host serves a multi_host network.  No row: not converged yet (BUILD).
    """

    __tablename__ = "network_statuses"
    __table_args__ = (
        sa.UniqueConstraint(
            "service", "network_id", "host", name="uniq_network_statuses0service0network_id0host"
        ),
    )

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    service: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    network_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), nullable=False)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16), nullable=False)
    error: orm.Mapped[str | None] = orm.mapped_column(sa.String(1024), nullable=True)
    updated_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class RegistryAddress(CoreBase):
    """One CIDR of address space a plugin holds (``netservice.core.registry``).

    ``first_hex``/``last_hex`` are the span's ends as 32 hex digits, so one
    text comparison finds overlaps on every engine and for both families.
    On PostgreSQL an exclusion constraint on ``cidr::inet`` also holds the
    rule (core_0003): two rows overlap only when their ``conflict_key`` is equal.
    Released rows are deleted: a claim is held or it is not.
    """

    __tablename__ = "registry_addresses"
    __table_args__ = (
        sa.Index("registry_addresses_span_idx", "family", "first_hex", "last_hex"),
        sa.Index("registry_addresses_owner_idx", "owner", "network_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16), nullable=False)
    family: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=False)
    cidr: orm.Mapped[str] = orm.mapped_column(sa.String(43), nullable=False)
    first_hex: orm.Mapped[str] = orm.mapped_column(sa.String(32), nullable=False)
    last_hex: orm.Mapped[str] = orm.mapped_column(sa.String(32), nullable=False)
    protocol: orm.Mapped[str | None] = orm.mapped_column(sa.String(8), nullable=True)
    port: orm.Mapped[int | None] = orm.mapped_column(sa.Integer, nullable=True)
    owner: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    network_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), nullable=True)
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    conflict_key: orm.Mapped[str] = orm.mapped_column(sa.String(320), nullable=False)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, nullable=False
    )


class RegistryL2(CoreBase):
    """One L2 name a plugin holds: a bridge, a VLAN id on an interface, a VNI on an underlay."""

    __tablename__ = "registry_l2"
    __table_args__ = (
        sa.Index("registry_l2_name_idx", "kind", "name"),
        sa.Index("registry_l2_owner_idx", "owner", "network_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16), nullable=False)
    scope: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    owner: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    network_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), nullable=True)
    conflict_key: orm.Mapped[str] = orm.mapped_column(sa.String(320), nullable=False)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, nullable=False
    )


class RegistryLock(CoreBase):
    """One row, locked (``SELECT ... FOR UPDATE``) to serialise the claims that need it."""

    __tablename__ = "registry_lock"

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(32), nullable=False)
