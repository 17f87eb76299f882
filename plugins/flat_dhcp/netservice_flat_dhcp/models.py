"""FlatDHCP's tables, prefixed ``flat_dhcp_``: networks, ethernet cards (VNICs),
fixed IPs and floating IPs (``netservice.networks.tables``)."""

from __future__ import annotations

from netservice.networks import tables

TABLES = tables.declare("flat_dhcp", "FlatDhcp")
Base = TABLES.base
SCHEMA = TABLES.schema
