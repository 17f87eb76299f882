"""The l2 tables: segments (``l2_networks``) and the VNICs plugged into them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

KINDS = ("bridge", "vlan", "vxlan")


class Base(orm.DeclarativeBase):
    pass


class L2Network(Base):
    """One segment: ``kind`` says what ``segment`` (a VLAN id or a VNI) means."""

    __tablename__ = "l2_networks"
    __table_args__ = (sa.UniqueConstraint("bridge", name="uq_l2_networks_bridge"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    label: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255), index=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(8), nullable=False)
    bridge: orm.Mapped[str] = orm.mapped_column(sa.String(15), nullable=False)
    segment: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    interface: orm.Mapped[str | None] = orm.mapped_column(sa.String(15))


class L2Vnic(Base):
    __tablename__ = "l2_vnics"
    __table_args__ = (sa.UniqueConstraint("mac", name="uq_l2_vnics_mac"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("l2_networks.id"), nullable=False, index=True
    )
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, index=True)
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17), nullable=False)
    instance_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
