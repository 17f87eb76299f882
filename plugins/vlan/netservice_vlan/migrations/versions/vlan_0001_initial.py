"""vlan_networks, vlan_ethernet_cards, vlan_fixed_ips, vlan_floating_ips.

Revision ID: vlan_0001
Revises:
"""

from alembic import op
from netservice.floating import models as floating_models
from netservice.ipam import models as ipam_models
from netservice.networks import models as networks_models

from netservice_vlan import models

revision = "vlan_0001"
down_revision = None
branch_labels = ("vlan",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        models.NETWORKS,
        *ipam_models.network_columns(),
        *ipam_models.network_constraints(models.NETWORKS),
    )
    op.create_table(
        models.ETHERNET_CARDS,
        *networks_models.ethernet_card_columns(models.ETHERNET_CARDS, models.NETWORKS),
        *networks_models.ethernet_card_constraints(models.ETHERNET_CARDS),
    )
    for name, columns in networks_models.ethernet_card_indexes(models.ETHERNET_CARDS):
        op.create_index(name, models.ETHERNET_CARDS, columns)
    op.create_table(
        models.FIXED_IPS,
        *ipam_models.fixed_ip_columns(models.NETWORKS),
        *ipam_models.fixed_ip_constraints(models.FIXED_IPS),
    )
    for name, columns in ipam_models.fixed_ip_indexes(models.FIXED_IPS):
        op.create_index(name, models.FIXED_IPS, columns)
    op.create_table(
        models.FLOATING_IPS,
        *floating_models.floating_ip_columns(models.FLOATING_IPS, models.FIXED_IPS),
        *floating_models.floating_ip_constraints(models.FLOATING_IPS),
    )
    for name, columns in floating_models.floating_ip_indexes(models.FLOATING_IPS):
        op.create_index(name, models.FLOATING_IPS, columns)
