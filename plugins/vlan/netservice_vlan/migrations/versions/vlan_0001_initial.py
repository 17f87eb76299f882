"""vlan_networks, vlan_ethernet_cards, vlan_fixed_ips, vlan_floating_ips.

Revision ID: vlan_0001
Revises:
"""

from alembic import op
from netservice.networks.migration import create_tables

from netservice_vlan import models

revision = "vlan_0001"
down_revision = None
branch_labels = ("vlan",)
depends_on = None


def upgrade() -> None:
    create_tables(
        op,
        networks=models.NETWORKS,
        ethernet_cards=models.ETHERNET_CARDS,
        fixed_ips=models.FIXED_IPS,
        floating_ips=models.FLOATING_IPS,
    )
