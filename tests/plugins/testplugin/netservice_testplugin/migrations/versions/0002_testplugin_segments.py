"""testplugin_segments: what the test plugin claims in the core's registry

Revision ID: testplugin_0002
Revises: testplugin_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "testplugin_0002"
down_revision = "testplugin_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "testplugin_segments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("cidr", sa.String(43), nullable=True),
        sa.Column("bridge", sa.String(255), nullable=True),
        sa.Column("vlan", sa.Integer, nullable=True),
        sa.Column("vni", sa.Integer, nullable=True),
        sa.Column("interface", sa.String(255), nullable=True),
    )
