"""Network creation refuses bad input naming the field, and writes nothing."""

from __future__ import annotations

import pytest

from netservice.core import exceptions


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "vlan", "interface": "eth1"}, "segment"),
        ({"kind": "vlan", "segment": 5000, "interface": "eth1"}, "segment"),
        ({"kind": "vxlan", "segment": 5}, "interface"),
        ({"kind": "bridge"}, "bridge"),
        ({"kind": "bridge", "bridge": "br", "segment": 3}, "segment"),
        ({"kind": "ring"}, "kind"),
    ],
)
def test_bad_networks_name_the_field(plugin, body, field):
    with pytest.raises(exceptions.InvalidInput, match=f"'{field}'"):
        plugin.networks.create(label="bad", **body)
    assert plugin.networks.list(None) == []


@pytest.mark.parametrize("label", ["", "   ", "a\x01b", "x" * 256])
def test_bad_labels_name_the_field_on_create_and_update(plugin, label):
    with pytest.raises(exceptions.InvalidInput, match="'label'"):
        plugin.networks.create(label=label, bridge="brl")
    assert plugin.networks.list(None) == []
    network = plugin.networks.create(label="good", bridge="brl")
    with pytest.raises(exceptions.InvalidInput, match="'label'"):
        plugin.networks.update(network.id, label=label)
    assert plugin.networks.get(None, network.id).label == "good"
