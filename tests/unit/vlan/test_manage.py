"""netservice-vlan-manage: network, fixed, floating and vpn commands, and their errors."""

from __future__ import annotations

import pytest
from netservice_vlan import manage

from tests.unit.vlan.conftest import counts, open_vlan, snapshot


@pytest.fixture
def run(vlan_config_file, capsys):
    def call(*argv):
        status = manage.main(["--config-file", vlan_config_file, *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return call


@pytest.fixture
def plugin(vlan_config_file):
    manager = open_vlan(vlan_config_file)
    yield manager.get("vlan")
    manager.database.dispose()


def test_network_create_10_0_0_0_8_3_16_and_list(run):
    assert run("network", "create", "10.0.0.0/8", "3", "16") == (0, "", "")
    header, *rows = run("network", "list")[1].splitlines()
    assert header.split() == ["id", "IPv4", "IPv6", "start", "address", "DNS1", "DNS2", "VlanID",
                              "project", "uuid"]  # fmt: skip
    assert [row.split()[1:8] for row in rows] == [
        ["10.0.0.0/28", "None", "10.0.0.3", "8.8.4.4", "None", "200", "None"],
        ["10.0.0.16/28", "None", "10.0.0.19", "8.8.4.4", "None", "201", "None"],
        ["10.0.0.32/28", "None", "10.0.0.35", "8.8.4.4", "None", "202", "None"],
    ]


def test_network_create_options_modify_and_delete(run, plugin):
    assert run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24",
               "--vlan", "42", "--vpn", "3000", "--bridge_interface", "eth9")[0] == 0  # fmt: skip
    (net,) = plugin.networks.list()
    assert (net.vlan, net.bridge, net.bridge_interface, net.vpn_public_port) == (
        42, "br42", "eth9", 3000,
    )  # fmt: skip
    assert run("network", "modify", "10.0.0.0/24", "--project", "p1", "--host", "h1")[0] == 0
    assert (
        plugin.networks.get("10.0.0.0/24").project_id,
        plugin.networks.get("10.0.0.0/24").host,
    ) == ("p1", "h1")
    assert run("network", "modify", "10.0.0.0/24", "--disassociate-project")[0] == 0
    assert run("network", "delete", "10.0.0.0/24") == (0, "", "")


def test_vpn_change_and_list(run, plugin):
    run("network", "create", "10.0.0.0/16", "2", "256")
    assert run("vpn", "list")[1] == "No project has a vlan network.\n"
    run("network", "modify", "10.0.0.0/24", "--project", "p1")
    assert run("vpn", "change", "--project", "p1", "--ip", "192.0.2.1", "--port", "1194") == (
        0, "", "",
    )  # fmt: skip
    _, row = run("vpn", "list")[1].splitlines()
    assert row.split()[0] == "p1" and row.split()[2:] == ["192.0.2.1", "1194", "10.0.0.2"]


def test_fixed_and_floating_commands(run, plugin):
    run("network", "create", "10.0.0.0/24", "1", "256")
    assert run("fixed", "reserve", "--address", "10.0.0.9") == (0, "", "")
    assert "10.0.0.9" in run("fixed", "list")[1]
    assert run("fixed", "reserve", "--address", "10.9.9.9")[0] == 2
    assert run("floating", "create", "--ip_range", "203.0.113.0/30") == (0, "", "")
    assert len(run("floating", "list")[1].splitlines()) == 3  # a header and two addresses


# --- Bad input: one line on stderr, exit 1 (usage: 2), nothing written -------------------


def _refused(run, plugin, argv, status, text):
    before, state = counts(plugin), snapshot(plugin)
    code, out, err = run(*argv)
    assert (code, out) == (status, "") and text in err, err
    if status == 1:
        assert len(err.splitlines()) == 1
    assert (counts(plugin), snapshot(plugin)) == (before, state)


def test_bad_vlan_out_of_range(run, plugin):
    _refused(run, plugin, ["network", "create", "--label", "a", "--fixed_range_v4",
                           "10.0.0.0/24", "--vlan", "4095"], 1, "must be 1..4094")  # fmt: skip


def test_bad_vlan_in_use(run, plugin):
    run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24", "--vlan", "7")
    _refused(run, plugin, ["network", "create", "--label", "b", "--fixed_range_v4",
                           "10.1.0.0/24", "--vlan", "7"], 1, "VLAN 7 is already used")  # fmt: skip


def test_bad_num_networks_plus_vlan_start(run, plugin):
    _refused(run, plugin, ["network", "create", "10.0.0.0/8", "10", "16", "4090"], 1,
             "num_networks 10 + vlan_start 4090 exceeds 4094")  # fmt: skip


def test_bad_range_too_small(run, plugin):
    _refused(run, plugin, ["network", "create", "10.0.0.0/24", "3", "128"], 1,
             "The network range is not big enough")  # fmt: skip


def test_bad_delete_of_an_associated_network(run, plugin):
    run("network", "create", "10.0.0.0/24", "1", "256")
    run("network", "modify", "10.0.0.0/24", "--project", "p1")
    _refused(run, plugin, ["network", "delete", "10.0.0.0/24"], 1, "disassociate first")


def test_bad_disassociate_combined_with_a_value(run, plugin):
    run("network", "create", "10.0.0.0/24", "1", "256")
    with pytest.raises(SystemExit) as caught:
        run("network", "modify", "10.0.0.0/24", "--project", "p1", "--disassociate-project")
    assert caught.value.code == 2
    assert plugin.networks.get("10.0.0.0/24").project_id is None


def test_bad_vpn_port_used_by_another_project(run, plugin):
    run("network", "create", "10.0.0.0/16", "2", "256")
    run("network", "modify", "10.0.0.0/24", "--project", "p1")
    run("network", "modify", "10.0.1.0/24", "--project", "p2")
    run("vpn", "change", "--project", "p1", "--ip", "192.0.2.1", "--port", "1194")
    _refused(run, plugin, ["vpn", "change", "--project", "p2", "--ip", "192.0.2.1", "--port",
                           "1194"], 1, "192.0.2.1:1194 is already used by network")  # fmt: skip


def test_bad_vpn_change_of_a_project_without_a_network(run, plugin):
    run("network", "create", "10.0.0.0/24", "1", "256")
    _refused(run, plugin, ["vpn", "change", "--project", "p9", "--ip", "192.0.2.1", "--port",
                           "1194"], 1, "Project p9 has no vlan network")  # fmt: skip


def test_vpn_change_needs_every_option(run):
    with pytest.raises(SystemExit) as caught:
        run("vpn", "change", "--project", "p1", "--ip", "192.0.2.1")
    assert caught.value.code == 2
