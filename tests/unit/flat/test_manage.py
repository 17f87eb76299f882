"""netservice-flat-manage: nova-manage's commands, output and exit codes."""

from __future__ import annotations

import pytest
from netservice_flat import manage


@pytest.fixture
def run(flat_config_file, capsys):
    def call(*argv):
        status = manage.main(["--config-file", flat_config_file, *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_positional_create_then_list(run):
    assert run("network", "create", "192.168.0.0/24", "1", "256") == (0, "", "")
    _, out, _ = run("network", "list")
    header, row = out.splitlines()
    assert header.split() == ["id", "IPv4", "IPv6", "start", "address", "DNS1", "DNS2",
                              "VlanID", "project", "uuid"]  # fmt: skip
    assert row.split()[:8] == ["1", "192.168.0.0/24", "None", "192.168.0.2", "8.8.4.4",
                               "None", "None", "None"]  # fmt: skip


def test_option_form_with_label_suffixes_and_warning(run):
    status, _, err = run("network", "create", "--label", "pub", "--fixed_range_v4", "10.0.0.0/16",
                         "--num_networks", "2", "--vlan", "5")  # fmt: skip
    assert status == 0
    assert "capped at 256" in err and "ignored vlan" in err
    out = run("network", "list")[1]
    assert "10.0.0.0/24" in out and "10.0.1.0/24" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--fixed_range_v4", "10.0.0.0/24"], "'label': is required"),
        (
            ["--label", "x", "--fixed_range_v4", "10.0.0.0/24", "--network_size", "0"],
            "network_size",
        ),
        (
            ["--label", "x", "--fixed_range_v4", "10.0.0.0/24", "--network_size", "many"],
            "network_size",
        ),
        (["--label", "x" * 256, "--fixed_range_v4", "10.0.0.0/24"], "'label'"),
        (
            ["--label", "x", "--fixed_range_v4", "10.0.0.0/24", "--gateway", "10.1.0.1"],
            "'gateway'",
        ),
        (
            ["--label", "x", "--fixed_range_v4", "10.0.0.0/24", "--fixed_cidr", "10.2.0.0/28"],
            "'fixed_cidr'",
        ),
        (
            [
                "--label",
                "x",
                "--fixed_range_v4",
                "10.0.0.0/24",
                "--allowed_start",
                "10.0.0.9",
                "--allowed_end",
                "10.0.0.3",
            ],
            "'allowed_start'",
        ),
        (["10.0.0.0/24", "2", "256"], "not big enough"),
        (["--label", "x"], "fixed_range_v4"),
        (["--fixed_range_v4", "10.0.0.0/24", "10.0.0.0/24"], "both as an option and positionally"),
    ],
)
def test_bad_create_exits_1_and_writes_nothing(run, argv, needle):
    status, _, err = run("network", "create", *argv)
    assert status == 1 and needle in err, err
    assert run("network", "list")[1].count("\n") == 1


def test_overlap_exits_1(run):
    run(
        "network",
        "create",
        "--label",
        "a",
        "--fixed_range_v4",
        "10.0.0.0/16",
        "--network_size",
        "65536",
    )
    status, _, err = run("network", "create", "--label", "b", "--fixed_range_v4", "10.0.3.0/24")
    assert status == 1 and "conflicts with existing cidr 10.0.0.0/16" in err


def test_delete_modify_and_fixed_commands(run):
    run("network", "create", "--label", "a", "--fixed_range_v4", "10.0.0.0/24")
    assert run("network", "modify", "10.0.0.0/24", "--project", "p1", "--host", "h1")[0] == 0
    status, _, err = run("network", "delete", "10.0.0.0/24")
    assert status == 1 and "disassociate first" in err
    assert run("network", "modify", "10.0.0.0/24", "--disassociate-project")[0] == 0
    assert run("fixed", "reserve", "--address", "10.0.0.5") == (0, "", "")
    out = run("fixed", "list")[1]
    assert "10.0.0.5" in out and out.splitlines()[0].split()[:3] == ["network", "IP", "address"]
    assert "10.0.0.5" not in run("fixed", "list", "--host", "elsewhere")[1]
    assert run("fixed", "unreserve", "--address", "10.0.0.5")[0] == 0
    assert run("network", "delete", "--uuid", "6d4b0e55-60e4-4b1c-9b5b-9a7f3c0f1e11")[0] == 1
    assert run("network", "delete", "--fixed_range", "10.0.0.0/24")[0] == 0
    assert run("fixed", "list")[1] == "No fixed IP found.\n"


def test_modify_refuses_a_value_with_its_disassociate_flag(run):
    with pytest.raises(SystemExit) as caught:
        run("network", "modify", "10.0.0.0/24", "--project", "p1", "--disassociate-project")
    assert caught.value.code == 2


def test_unknown_address_exits_2(run):
    status, _, err = run("fixed", "reserve", "--address", "172.16.0.1")
    assert status == 2 and "not in any network" in err
    assert run("fixed", "unreserve", "--address", "not-an-ip")[0] == 2


def test_usage_error_exits_2(run):
    with pytest.raises(SystemExit) as caught:
        run("network", "frobnicate")
    assert caught.value.code == 2
