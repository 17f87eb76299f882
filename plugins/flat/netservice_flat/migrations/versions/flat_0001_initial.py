"""flat_networks, flat_ethernet_cards and flat_ip_addresses.

Revision ID: flat_0001
Revises:
"""

from alembic import op
from netservice.networks.migration import create_tables

from netservice_flat import models

revision = "flat_0001"
down_revision = None
branch_labels = ("flat",)
depends_on = None


def upgrade() -> None:
    create_tables(
        op,
        networks=models.NETWORKS,
        ethernet_cards=models.ETHERNET_CARDS,
        fixed_ips=models.IP_ADDRESSES,
    )
