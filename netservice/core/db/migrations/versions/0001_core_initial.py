"""The core tables: project_network_services and instance_virtual_nics.

Revision ID: core_0001
Revises:
Create Date: 2026-11-20
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def _soft_delete_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted", sa.Integer, nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    op.create_table(
        "project_network_services",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("network_service", sa.String(255), nullable=False),
        *_soft_delete_columns(),
        sa.UniqueConstraint(
            "project_id", "deleted", name="uniq_project_network_services0project_id0deleted"
        ),
    )
    op.create_table(
        "instance_virtual_nics",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("instance_id", sa.String(255), nullable=False),
        sa.Column("virtual_nic_id", sa.String(255), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=True),
        *_soft_delete_columns(),
        sa.UniqueConstraint(
            "virtual_nic_id", "deleted", name="uniq_instance_virtual_nics0virtual_nic_id0deleted"
        ),
    )
    op.create_index("instance_virtual_nics_instance_id_idx", "instance_virtual_nics", ["instance_id"])
