"""The core's two tables.  Plugins keep their own tables in their own metadata."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin


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
