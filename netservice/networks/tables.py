"""A plugin's tables, declared from the framework's mixins under the plugin's names.

Every plugin built on ``netservice.networks`` has the same four tables
(networks, ethernet cards, fixed IPs and, with floating IPs, floating IPs),
each prefixed with the plugin's name.  ``declare`` makes the declarative
base and the four model classes once, so a plugin's ``models.py`` is a call
and the names it exports, never a copy of another plugin's.

The tables' first revision is frozen DDL (``netservice.networks.migration``);
``tests/db/test_migrations_match_models.py`` fails when they drift apart.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import orm

from netservice.floating.models import FloatingIpMixin
from netservice.ipam.models import FixedIpMixin, NetworkMixin, network_mixin
from netservice.networks.domain import Network
from netservice.networks.models import EthernetCardMixin
from netservice.networks.schema import Schema


@dataclasses.dataclass(frozen=True)
class TableNames:
    """The tables' names; ``floating_ips`` is None for a plugin without floating IPs."""

    networks: str
    ethernet_cards: str
    fixed_ips: str
    floating_ips: str | None


@dataclasses.dataclass(frozen=True)
class Tables:
    """What ``declare`` made: the declarative base, the model classes and the names."""

    base: type[orm.DeclarativeBase]
    schema: Schema
    names: TableNames


def declare(
    prefix: str,
    class_prefix: str,
    *,
    fixed_ips: str = "fixed_ips",
    fixed_ip_class: str = "FixedIp",
    floating: bool = True,
    declaration: type[Network] = Network,
) -> Tables:
    """The tables ``<prefix>_networks``, ``_ethernet_cards``, ``_<fixed_ips>`` (``_floating_ips``).

    ``class_prefix`` names the classes (``<class_prefix>Network`` ...), as
    SQLAlchemy's registry and error messages show them.  ``declaration``
    gives the networks' columns (``netservice.ipam.models.network_mixin``):
    a plugin that declares another field passes its subclass here and as its
    ``Topology.declaration``, and adds the column in a migration revision.
    """
    names = TableNames(
        networks=f"{prefix}_networks",
        ethernet_cards=f"{prefix}_ethernet_cards",
        fixed_ips=f"{prefix}_{fixed_ips}",
        floating_ips=f"{prefix}_floating_ips" if floating else None,
    )
    base: Any = type(f"{class_prefix}Base", (orm.DeclarativeBase,), {})

    def model(name: str, mixin: type, **attrs: str) -> Any:
        return type(f"{class_prefix}{name}", (mixin, base), {**attrs, "__module__": __name__})

    floating_ip = None
    if names.floating_ips is not None:
        floating_ip = model(
            "FloatingIp",
            FloatingIpMixin,
            __tablename__=names.floating_ips,
            __fixed_ip_table__=names.fixed_ips,
        )
    schema = Schema(
        network=model("Network", _network_mixin(declaration), __tablename__=names.networks),
        fixed_ip=model(
            fixed_ip_class,
            FixedIpMixin,
            __tablename__=names.fixed_ips,
            __network_table__=names.networks,
        ),
        vnic=model(
            "EthernetCard",
            EthernetCardMixin,
            __tablename__=names.ethernet_cards,
            __network_table__=names.networks,
        ),
        floating_ip=floating_ip,
    )
    return Tables(base=base, schema=schema, names=names)


def _network_mixin(declaration: type[Network]) -> type:
    return NetworkMixin if declaration is Network else network_mixin(declaration)
