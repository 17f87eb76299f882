"""flat_networks, flat_ethernet_cards and flat_ip_addresses.

Revision ID: flat_0001
Revises:
"""

from alembic import op
from netservice.ipam import models as ipam_models
from netservice.networks import models as networks_models

from netservice_flat import models

revision = "flat_0001"
down_revision = None
branch_labels = ("flat",)
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
        models.IP_ADDRESSES,
        *ipam_models.fixed_ip_columns(models.NETWORKS),
        *ipam_models.fixed_ip_constraints(models.IP_ADDRESSES),
    )
    for name, columns in ipam_models.fixed_ip_indexes(models.IP_ADDRESSES):
        op.create_index(name, models.IP_ADDRESSES, columns)
