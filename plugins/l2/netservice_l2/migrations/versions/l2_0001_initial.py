"""l2_networks and l2_vnics (frozen DDL: never edit)."""

import sqlalchemy as sa
from alembic import op

revision = "l2_0001"
down_revision = None
branch_labels = ("l2",)


def upgrade() -> None:
    op.create_table(
        "l2_networks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("bridge", sa.String(15), nullable=False),
        sa.Column("segment", sa.Integer, nullable=True),
        sa.Column("interface", sa.String(15), nullable=True),
        sa.UniqueConstraint("bridge", name="uq_l2_networks_bridge"),
    )
    op.create_index("ix_l2_networks_project_id", "l2_networks", ["project_id"])
    op.create_table(
        "l2_vnics",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("network_id", sa.String(36), sa.ForeignKey("l2_networks.id"), nullable=False),
        sa.Column("project_id", sa.String(255), nullable=False),
        sa.Column("mac", sa.String(17), nullable=False),
        sa.Column("instance_id", sa.String(36), nullable=True),
        sa.UniqueConstraint("mac", name="uq_l2_vnics_mac"),
    )
    op.create_index("ix_l2_vnics_network_id", "l2_vnics", ["network_id"])
    op.create_index("ix_l2_vnics_project_id", "l2_vnics", ["project_id"])
