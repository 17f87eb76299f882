"""The deployment-wide registry: registry_addresses, registry_l2, registry_lock.

On PostgreSQL, ``registry_addresses`` also gets an exclusion constraint:
no two rows whose ``cidr::inet`` overlap (``&&``, GiST ``inet_ops``) unless
their ``conflict_key`` is equal (``<>``, which GiST has from ``btree_gist``,
a trusted extension since PostgreSQL 13).

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_addresses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("family", sa.Integer, nullable=False),
        sa.Column("cidr", sa.String(43), nullable=False),
        sa.Column("first_hex", sa.String(32), nullable=False),
        sa.Column("last_hex", sa.String(32), nullable=False),
        sa.Column("protocol", sa.String(8), nullable=True),
        sa.Column("port", sa.Integer, nullable=True),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("network_id", sa.String(64), nullable=True),
        sa.Column("resource", sa.String(255), nullable=False),
        sa.Column("conflict_key", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "registry_addresses_span_idx", "registry_addresses", ["family", "first_hex", "last_hex"]
    )
    op.create_index("registry_addresses_owner_idx", "registry_addresses", ["owner", "network_id"])
    op.create_table(
        "registry_l2",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("network_id", sa.String(64), nullable=True),
        sa.Column("conflict_key", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("registry_l2_name_idx", "registry_l2", ["kind", "name"])
    op.create_index("registry_l2_owner_idx", "registry_l2", ["owner", "network_id"])
    lock = op.create_table(
        "registry_lock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(32), nullable=False),
    )
    op.bulk_insert(lock, [{"id": 1, "name": "claims"}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE registry_addresses ADD CONSTRAINT registry_addresses_no_overlap "
            "EXCLUDE USING gist ((cidr::inet) inet_ops WITH &&, conflict_key WITH <>)"
        )
