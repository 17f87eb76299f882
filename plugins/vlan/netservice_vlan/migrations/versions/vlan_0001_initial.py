"""vlan_networks, _ethernet_cards, _fixed_ips and _floating_ips (frozen DDL: never edit)."""

from alembic import op
from netservice.networks.migration import create_prefixed

revision = "vlan_0001"
down_revision = None
branch_labels = ("vlan",)


def upgrade() -> None:
    create_prefixed(op, "vlan")
