"""Revision 1 of a plugin's tables, frozen: literal DDL, never edited.

Every plugin built on ``netservice.networks`` starts with the same tables
under its own names; its initial alembic revision calls ``create_tables``
with them.  The DDL below was generated once from the column helpers the
models use and is written out column by column, so changing a helper or a
mixin never changes a migration already run somewhere.  A later change to
the tables is a new revision in each plugin's own branch, with plain alembic
operations; ``tests/db/test_migrations_match_models.py`` fails until the
models and the migrated schema agree again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


def create_prefixed(
    op: Any, prefix: str, *, fixed_ips: str = "fixed_ips", floating: bool = True
) -> None:
    """``create_tables`` with the names ``<prefix>_networks``, ``_ethernet_cards`` ...

    Frozen too: the names a plugin's first revision made stay what they were.
    """
    create_tables(
        op,
        networks=f"{prefix}_networks",
        ethernet_cards=f"{prefix}_ethernet_cards",
        fixed_ips=f"{prefix}_{fixed_ips}",
        floating_ips=f"{prefix}_floating_ips" if floating else None,
    )


def create_tables(
    op: Any,
    *,
    networks: str,
    ethernet_cards: str,
    fixed_ips: str,
    floating_ips: str | None = None,
) -> None:
    """Create revision 1 of the networks, VNICs, fixed IPs (and floating IPs) tables."""
    op.create_table(
        networks,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("cidr", sa.String(length=43), nullable=True),
        sa.Column("netmask", sa.String(length=39), nullable=True),
        sa.Column("gateway", sa.String(length=39), nullable=True),
        sa.Column("broadcast", sa.String(length=39), nullable=True),
        sa.Column("dhcp_server", sa.String(length=39), nullable=True),
        sa.Column("dhcp_start", sa.String(length=39), nullable=True),
        sa.Column("cidr_v6", sa.String(length=43), nullable=True),
        sa.Column("netmask_v6", sa.String(length=39), nullable=True),
        sa.Column("gateway_v6", sa.String(length=39), nullable=True),
        sa.Column("fixed_cidr", sa.String(length=43), nullable=True),
        sa.Column("allowed_start", sa.String(length=39), nullable=True),
        sa.Column("allowed_end", sa.String(length=39), nullable=True),
        sa.Column("dns1", sa.String(length=39), nullable=True),
        sa.Column("dns2", sa.String(length=39), nullable=True),
        sa.Column("bridge", sa.String(length=255), nullable=True),
        sa.Column("bridge_interface", sa.String(length=255), nullable=True),
        sa.Column("multi_host", sa.Boolean(), nullable=False),
        sa.Column("injected", sa.Boolean(), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("vlan", sa.Integer(), nullable=True),
        sa.Column("vpn_private_address", sa.String(length=39), nullable=True),
        sa.Column("vpn_public_address", sa.String(length=39), nullable=True),
        sa.Column("vpn_public_port", sa.Integer(), nullable=True),
        sa.Column("first_address", sa.BigInteger(), nullable=True),
        sa.Column("last_address", sa.BigInteger(), nullable=True),
        sa.Column("next_address", sa.BigInteger(), nullable=True),
        sa.Column("next_used", sa.BigInteger(), nullable=True),
        sa.Column("free_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid", "deleted", name=f"uniq_{networks}0uuid0deleted"),
    )
    op.create_table(
        ethernet_cards,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("mac", sa.String(length=17), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("instance_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], [f"{networks}.id"], name=f"{ethernet_cards}_network_fk"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mac", "deleted", name=f"uniq_{ethernet_cards}0mac0deleted"),
    )
    op.create_index(
        f"{ethernet_cards}_instance_idx", ethernet_cards, ["instance_id"], unique=False
    )
    op.create_index(f"{ethernet_cards}_project_idx", ethernet_cards, ["project_id"], unique=False)
    op.create_table(
        fixed_ips,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=39), nullable=False),
        sa.Column("address_int", sa.BigInteger(), nullable=False),
        sa.Column("instance_id", sa.String(length=255), nullable=True),
        sa.Column("vnic_id", sa.String(length=36), nullable=True),
        sa.Column("allocated", sa.Boolean(), nullable=False),
        sa.Column("leased", sa.Boolean(), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column(
            "freed_at",
            sa.DateTime()
            .with_variant(mysql.DATETIME(fsp=6), "mariadb")
            .with_variant(mysql.DATETIME(fsp=6), "mysql"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"], [f"{networks}.id"], name=f"{networks}_fixed_ip_network_fk"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("address_int", "network_id", name=f"uniq_{fixed_ips}0address0network"),
    )
    op.create_index(
        f"{fixed_ips}_changed_idx", fixed_ips, ["network_id", "updated_at"], unique=False
    )
    op.create_index(
        f"{fixed_ips}_created_idx", fixed_ips, ["network_id", "created_at"], unique=False
    )
    op.create_index(f"{fixed_ips}_free_idx", fixed_ips, ["network_id", "freed_at"], unique=False)
    op.create_index(f"{fixed_ips}_instance_idx", fixed_ips, ["instance_id"], unique=False)
    op.create_index(f"{fixed_ips}_vnic_idx", fixed_ips, ["vnic_id"], unique=False)
    if floating_ips is None:
        return
    op.create_table(
        floating_ips,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address", sa.String(length=39), nullable=False),
        sa.Column("address_int", sa.BigInteger(), nullable=False),
        sa.Column("pool", sa.String(length=255), nullable=False),
        sa.Column("interface", sa.String(length=255), nullable=True),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("auto_assigned", sa.Boolean(), nullable=False),
        sa.Column("fixed_ip_id", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fixed_ip_id"],
            [f"{fixed_ips}.id"],
            name=f"{floating_ips}_fixed_ip_fk",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("address_int", "deleted", name=f"uniq_{floating_ips}0address0deleted"),
    )
    op.create_index(f"{floating_ips}_fixed_ip_idx", floating_ips, ["fixed_ip_id"], unique=False)
    op.create_index(f"{floating_ips}_host_idx", floating_ips, ["host"], unique=False)
    op.create_index(
        f"{floating_ips}_pool_free_idx",
        floating_ips,
        ["pool", "deleted", "project_id", "address_int"],
        unique=False,
    )
    op.create_index(f"{floating_ips}_project_idx", floating_ips, ["project_id"], unique=False)
