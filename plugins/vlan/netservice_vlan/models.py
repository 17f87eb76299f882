"""VLAN's tables, prefixed ``vlan_``: networks, ethernet cards (VNICs),
fixed IPs and floating IPs (``netservice.networks.tables``)."""

from __future__ import annotations

from netservice.networks import tables

TABLES = tables.declare("vlan", "Vlan")
Base = TABLES.base
SCHEMA = TABLES.schema
