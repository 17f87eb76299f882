from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin


class Base(orm.DeclarativeBase):
    pass


class Vnic(SoftDeleteMixin, Base):
    __tablename__ = "testplugin_vnics"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    service: orm.Mapped[str] = orm.mapped_column(sa.String(64), nullable=False)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17), nullable=False)
    label: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, default="")
    mtu: orm.Mapped[int] = orm.mapped_column(sa.Integer, nullable=False, default=1500)
    bound: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, nullable=False, default=False)


class Segment(Base):
    """A network of the test plugin: only what it claims in the registry."""

    __tablename__ = "testplugin_segments"

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    service: orm.Mapped[str] = orm.mapped_column(sa.String(64), nullable=False)
    cidr: orm.Mapped[str | None] = orm.mapped_column(sa.String(43))
    bridge: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    vlan: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    vni: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    interface: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
