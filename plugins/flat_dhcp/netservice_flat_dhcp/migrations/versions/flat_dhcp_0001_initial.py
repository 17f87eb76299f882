"""flat_dhcp_networks, _ethernet_cards, _fixed_ips, _floating_ips (frozen DDL: never edit)."""

from alembic import op
from netservice.networks.migration import create_prefixed

revision = "flat_dhcp_0001"
down_revision = None
branch_labels = ("flat_dhcp",)


def upgrade() -> None:
    create_prefixed(op, "flat_dhcp")
