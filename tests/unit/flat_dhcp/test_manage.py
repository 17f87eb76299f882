"""netservice-flat-dhcp-manage: flat's commands plus floating create|list|delete."""

from __future__ import annotations

import pytest
from netservice_flat_dhcp import manage

from tests.unit.flat_dhcp.conftest import P1, open_flat_dhcp


@pytest.fixture
def run(dhcp_config_file, capsys):
    def call(*argv):
        status = manage.main(["--config-file", dhcp_config_file, *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return call


@pytest.fixture
def plugin(dhcp_config_file):
    manager = open_flat_dhcp(dhcp_config_file)
    yield manager.get("flat_dhcp")
    manager.database.dispose()


def test_network_commands(run):
    assert run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24",
               "--multi_host", "T", "--vlan", "7")[0] == 0  # fmt: skip
    header, row = run("network", "list")[1].splitlines()
    assert header.split()[:3] == ["id", "IPv4", "IPv6"]
    assert row.split()[1:5] == ["10.0.0.0/24", "None", "10.0.0.2", "8.8.4.4"]
    assert run("network", "modify", "10.0.0.0/24", "--host", "net-1")[0] == 0
    assert run("fixed", "reserve", "--address", "10.0.0.9") == (0, "", "")
    assert "10.0.0.9" in run("fixed", "list")[1]
    status, _, err = run("network", "create", "--label", "b", "--fixed_range_v4", "10.0.0.0/25")
    assert status == 1 and "conflicts with existing cidr 10.0.0.0/24" in err
    assert run("network", "delete", "10.0.0.0/24")[0] == 0


def test_vlan_options_are_ignored_with_a_warning(run):
    status, _, err = run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24",
                         "--vlan_start", "5")  # fmt: skip
    assert status == 0 and "flat_dhcp networks have no VLAN: ignored vlan_start" in err


def test_floating_create_list_delete(run, plugin):
    assert run("floating", "create", "--ip_range", "203.0.113.0/30") == (0, "", "")
    assert run("floating", "create", "--ip_range", "198.51.100.9", "--pool", "ext",
               "--interface", "eth1") == (0, "", "")  # fmt: skip
    lines = run("floating", "list")[1].splitlines()
    assert [line.split("\t") for line in lines] == [
        ["project", "address", "instance", "pool", "interface"],
        ["None", "198.51.100.9", "None", "ext", "eth1"],
        # Without --interface: [linux] public_interface, eth0 by default, as in nova.
        ["None", "203.0.113.1", "None", "nova", "eth0"],
        ["None", "203.0.113.2", "None", "nova", "eth0"],
    ]
    assert run("floating", "list", "--host", "net-1")[1] == (
        "No floating IP addresses have been defined.\n"
    )
    assert run("floating", "delete", "--ip_range", "198.51.100.9") == (0, "", "")
    assert len(plugin.floating.list()) == 2


@pytest.mark.parametrize("dhcp_extra", [{"flat_dhcp": {"default_floating_pool": "public"}}])
def test_floating_create_uses_the_default_pool(run, plugin):
    run("floating", "create", "--ip_range", "203.0.113.5")
    assert plugin.floating.get_floating_ip_pools() == ["public"]


@pytest.mark.parametrize("dhcp_extra", [{"linux": {"public_interface": "pub0"}}])
def test_floating_create_stores_the_configured_public_interface(run, plugin):
    assert run("floating", "create", "--ip_range", "203.0.113.5") == (0, "", "")
    assert [record.interface for record in plugin.floating.list()] == ["pub0"]


def test_bad_floating_create_range_too_small(run, plugin):
    status, _, err = run("floating", "create", "--ip_range", "203.0.113.0/31")
    assert status == 1 and "at least 4" in err
    assert plugin.floating.list() == []


def test_bad_floating_create_duplicate(run, plugin):
    run("floating", "create", "--ip_range", "203.0.113.0/30")
    status, _, err = run("floating", "create", "--ip_range", "203.0.113.0/29")
    assert status == 1 and "203.0.113.1 already exists" in err
    assert len(plugin.floating.list()) == 2


def test_bad_floating_delete_of_a_held_range(run, plugin):
    run("floating", "create", "--ip_range", "203.0.113.0/30")
    plugin.floating.allocate(P1)
    status, _, err = run("floating", "delete", "--ip_range", "203.0.113.0/30")
    assert status == 1 and "in use" in err
    assert len(plugin.floating.list()) == 2
    assert run("floating", "delete", "--ip_range", "203.0.113.0/30", "--force")[0] == 0
    assert plugin.floating.list() == []


def test_floating_create_needs_a_range(run):
    with pytest.raises(SystemExit) as caught:
        run("floating", "create")
    assert caught.value.code == 2


def test_network_modify_changes_the_bridge_interface(run, plugin):
    assert run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24",
               "--bridge_interface", "eth1")[0] == 0  # fmt: skip
    assert run("network", "modify", "10.0.0.0/24", "--bridge_interface", "eth0") == (0, "", "")
    assert plugin.networks.get("10.0.0.0/24").bridge_interface == "eth0"
    status, _, err = run("network", "modify", "10.0.0.0/24", "--bridge_interface", "no/slash")
    assert status == 1 and "bridge_interface" in err and "Traceback" not in err
    assert plugin.networks.get("10.0.0.0/24").bridge_interface == "eth0"
