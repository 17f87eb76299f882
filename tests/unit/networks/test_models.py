"""The ethernet-card mixin and the migration helpers describe the same table."""

from __future__ import annotations

import sqlalchemy as sa

from netservice.networks import models
from tests.unit.networks.conftest import Card


def test_mixin_matches_the_migration_helpers():
    table = Card.__table__
    helper = sa.Table(
        "nstest_ethernet_cards",
        sa.MetaData(),
        *models.ethernet_card_columns("nstest_ethernet_cards", "nstest_networks"),
    )
    assert {c.name for c in table.c} == {c.name for c in helper.c}
    for column in helper.c:
        mine = table.c[column.name]
        assert (mine.nullable, mine.primary_key, type(mine.type)) == (
            column.nullable,
            column.primary_key,
            type(column.type),
        ), column.name
    (fk,) = table.c.network_id.foreign_keys
    (helper_fk,) = helper.c.network_id.foreign_keys
    assert (fk.name, fk.target_fullname) == (helper_fk.name, helper_fk.target_fullname)
    assert fk.name == "nstest_ethernet_cards_network_fk"


def test_constraint_and_index_names_follow_the_table():
    table = Card.__table__
    uniques = {c.name for c in table.constraints if isinstance(c, sa.UniqueConstraint)}
    assert uniques == {"uniq_nstest_ethernet_cards0mac0deleted"}
    assert {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes} == {
        (name, tuple(columns))
        for name, columns in models.ethernet_card_indexes("nstest_ethernet_cards")
    }
