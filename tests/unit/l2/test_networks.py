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
