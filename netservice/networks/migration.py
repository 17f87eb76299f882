"""The first revision of a plugin's tables, from the framework's column helpers.

Every plugin built on ``netservice.networks`` starts with the same tables
under its own names; its initial alembic revision calls ``create_tables``
with them.  Later revisions change tables with plain alembic operations.
"""

from __future__ import annotations

from typing import Any

from netservice.floating import models as floating_models
from netservice.ipam import models as ipam_models
from netservice.networks import models as networks_models


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
        networks, *ipam_models.network_columns(), *ipam_models.network_constraints(networks)
    )
    op.create_table(
        ethernet_cards,
        *networks_models.ethernet_card_columns(ethernet_cards, networks),
        *networks_models.ethernet_card_constraints(ethernet_cards),
    )
    for name, columns in networks_models.ethernet_card_indexes(ethernet_cards):
        op.create_index(name, ethernet_cards, columns)
    op.create_table(
        fixed_ips,
        *ipam_models.fixed_ip_columns(networks),
        *ipam_models.fixed_ip_constraints(fixed_ips),
    )
    for name, columns in ipam_models.fixed_ip_indexes(fixed_ips):
        op.create_index(name, fixed_ips, columns)
    if floating_ips is None:
        return
    op.create_table(
        floating_ips,
        *floating_models.floating_ip_columns(floating_ips, fixed_ips),
        *floating_models.floating_ip_constraints(floating_ips),
    )
    for name, columns in floating_models.floating_ip_indexes(floating_ips):
        op.create_index(name, floating_ips, columns)
