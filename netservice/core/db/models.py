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
