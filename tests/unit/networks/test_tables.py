"""``tables.declare``: one plugin's four tables under its own names."""

from __future__ import annotations

from netservice.networks import tables


def test_declare_names_the_tables_and_classes_after_the_plugin():
    declared = tables.declare("demo", "Demo")
    assert declared.names == tables.TableNames(
        networks="demo_networks",
        ethernet_cards="demo_ethernet_cards",
        fixed_ips="demo_fixed_ips",
        floating_ips="demo_floating_ips",
    )
    schema = declared.schema
    assert schema.network.__name__ == "DemoNetwork"
    assert schema.floating_ip.__table__.name == "demo_floating_ips"
    assert set(declared.base.metadata.tables) == {
        "demo_networks",
        "demo_ethernet_cards",
        "demo_fixed_ips",
        "demo_floating_ips",
    }


def test_without_floating_ips_there_are_three_tables():
    declared = tables.declare("bare", "Bare", fixed_ips="ip_addresses", floating=False)
    assert declared.schema.floating_ip is None
    assert declared.names.floating_ips is None
    assert set(declared.base.metadata.tables) == {
        "bare_networks",
        "bare_ethernet_cards",
        "bare_ip_addresses",
    }
    (fk,) = declared.schema.fixed_ip.__table__.c.network_id.foreign_keys
    assert fk.target_fullname == "bare_networks.id"


def test_each_declaration_has_its_own_metadata():
    assert (
        tables.declare("one", "One").base.metadata
        is not tables.declare("two", "Two").base.metadata
    )
