"""testplugin_vnics

Revision ID: testplugin_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "testplugin_0001"
down_revision = None
branch_labels = ("testplugin",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "testplugin_vnics",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("mac", sa.String(17), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("mtu", sa.Integer, nullable=False),
        sa.Column("bound", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime),
        sa.Column("deleted_at", sa.DateTime),
        sa.Column("deleted", sa.Integer, nullable=False),
    )
