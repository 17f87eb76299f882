"""flat_dhcp_networks, flat_dhcp_ethernet_cards, flat_dhcp_fixed_ips, flat_dhcp_floating_ips.

Revision ID: flat_dhcp_0001
Revises:
"""

from alembic import op
from netservice.networks.migration import create_tables

from netservice_flat_dhcp import models

revision = "flat_dhcp_0001"
down_revision = None
branch_labels = ("flat_dhcp",)
depends_on = None


def upgrade() -> None:
    create_tables(
        op,
        networks=models.NETWORKS,
        ethernet_cards=models.ETHERNET_CARDS,
        fixed_ips=models.FIXED_IPS,
        floating_ips=models.FLOATING_IPS,
    )
