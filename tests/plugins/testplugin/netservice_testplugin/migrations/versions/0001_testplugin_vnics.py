"""testplugin_vnics: the test plugin's one table (frozen DDL).

Revision ID: testplugin_0001
Revises:
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "testplugin_0001"
down_revision = None
branch_labels = ("testplugin",)
depends_on = None


# (name, type, nullable) after the primary key, in table order.
_COLUMNS: list[tuple[str, Any, bool]] = [
    ("service", sa.String(64), False),
    ("project_id", sa.String(255), False),
    ("mac", sa.String(17), False),
    ("label", sa.String(255), False),
    ("mtu", sa.Integer(), False),
    ("bound", sa.Boolean(), False),
    ("created_at", sa.DateTime(), False),
    ("updated_at", sa.DateTime(), True),
    ("deleted_at", sa.DateTime(), True),
    ("deleted", sa.Integer(), False),
]


def upgrade() -> None:
    op.create_table(
        "testplugin_vnics",
        sa.Column("id", sa.String(36), primary_key=True),
        *(sa.Column(name, type_, nullable=nullable) for name, type_, nullable in _COLUMNS),
    )
