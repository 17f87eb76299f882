"""Flat's tables: networks, ethernet cards (VNICs) and IP addresses, prefixed ``flat_``."""

from __future__ import annotations

from netservice.networks import tables

TABLES = tables.declare(
    "flat", "Flat", fixed_ips="ip_addresses", fixed_ip_class="IpAddress", floating=False
)
Base = TABLES.base
SCHEMA = TABLES.schema
FlatNetwork = SCHEMA.network
FlatIpAddress = SCHEMA.fixed_ip
EthernetCard = SCHEMA.vnic
