"""flat_networks, flat_ethernet_cards and flat_ip_addresses (frozen DDL: never edit)."""

from alembic import op
from netservice.networks.migration import create_prefixed

revision = "flat_0001"
down_revision = None
branch_labels = ("flat",)


def upgrade() -> None:
    create_prefixed(op, "flat", fixed_ips="ip_addresses", floating=False)
