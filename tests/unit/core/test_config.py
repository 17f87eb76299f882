"""Loading the configuration."""

from __future__ import annotations

import logging
import os

import pytest

from netservice.core import bootstrap, config
from netservice.testing.config import make_conf


def test_relative_paths_in_a_file_are_taken_from_its_directory(tmp_path, monkeypatch):
    etc = tmp_path / "etc"
    etc.mkdir()
    path = etc / "rel.conf"
    path.write_text("[DEFAULT]\nstate_path = ../state\nnetwork_service_conf = list.conf\n")
    monkeypatch.chdir("/")  # where dnsmasq runs netservice-dhcpbridge
    conf = make_conf(str(path))
    assert conf.state_path == os.path.join(str(tmp_path), "state")
    assert conf.network_service_conf == os.path.join(str(etc), "list.conf")
    assert conf.database.connection == f"sqlite:///{tmp_path}/state/netservice.sqlite"


def test_an_absolute_path_is_kept(tmp_path):
    path = tmp_path / "abs.conf"
    path.write_text("[DEFAULT]\nstate_path = /var/lib/x\n")
    assert make_conf(str(path)).state_path == "/var/lib/x"


def test_with_two_config_files_a_path_is_taken_from_the_file_that_set_it(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one.conf").write_text("[DEFAULT]\nstate_path = state\n")
    (second / "two.conf").write_text("[DEFAULT]\nhost = h1\nnetwork_service_conf = list.conf\n")
    conf = make_conf(str(first / "one.conf"), "--config-file", str(second / "two.conf"))
    assert conf.state_path == str(first / "state")
    assert conf.network_service_conf == str(second / "list.conf")
    assert conf.host == "h1"


def test_the_last_file_that_sets_a_path_wins(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one.conf").write_text("[DEFAULT]\nstate_path = state\n")
    (second / "two.conf").write_text("[DEFAULT]\nstate_path = other\n")
    conf = make_conf(str(first / "one.conf"), "--config-file", str(second / "two.conf"))
    assert conf.state_path == str(second / "other")


def test_network_service_conf_on_the_command_line(tmp_path, monkeypatch):
    path = tmp_path / "x.conf"
    path.write_text("[DEFAULT]\nnetwork_service_conf = /etc/from-file.conf\n")
    monkeypatch.chdir(tmp_path)
    conf = make_conf(str(path), "--network_service_conf", "services.conf")
    assert conf.network_service_conf == str(tmp_path / "services.conf")


NOVA_CONF = """\
[DEFAULT]
public_interface = eth9
dhcp_domain = example.org
networks_path = /var/lib/nova/networks
vlan_interface = eth7
vlan_start = 200
multi_host = true
flat_network_bridge = br42
quota_floating_ips = 3
[quota]
fixed_ips = 40
"""


def test_a_nova_conf_fragment_is_read_into_the_new_groups_with_a_warning(tmp_path, caplog):
    path = tmp_path / "nova.conf"
    path.write_text(NOVA_CONF)
    conf = make_conf(str(path))
    with caplog.at_level(logging.WARNING, logger="oslo_config.cfg"):
        assert conf.linux.public_interface == "eth9"
        assert conf.linux.dhcp_domain == "example.org"
        assert conf.linux.dnsmasq_dir == "/var/lib/nova/networks"
    warned = caplog.text
    assert 'Option "public_interface" from group "DEFAULT" is deprecated' in warned
    assert 'Use option "public_interface" from group "linux"' in warned


def test_a_nova_conf_fragment_reaches_the_plugins_groups(tmp_path):
    services = tmp_path / "services.conf"
    services.write_text("flat_dhcp\nvlan\n")
    path = tmp_path / "nova.conf"
    state = tmp_path / "state"
    path.write_text(
        NOVA_CONF + f"[DEFAULT]\nnetwork_service_conf = {services}\nstate_path = {state}\n"
    )
    manager = bootstrap.open_services(make_conf(str(path)))
    try:
        vlan, flat_dhcp = (
            manager.get("vlan").context.config,
            manager.get("flat_dhcp").context.config,
        )
        assert (vlan.vlan_interface, vlan.vlan_start, vlan.multi_host) == ("eth7", 200, True)
        assert (flat_dhcp.flat_network_bridge, flat_dhcp.multi_host) == ("br42", True)
        assert vlan.quota_floating_ips == 3 and flat_dhcp.quota_floating_ips == 3
        assert vlan.quota_fixed_ips == 40
    finally:
        manager.database.dispose()


def test_a_new_group_wins_over_the_nova_name(tmp_path):
    path = tmp_path / "both.conf"
    path.write_text("[DEFAULT]\npublic_interface = eth9\n[linux]\npublic_interface = eth1\n")
    assert make_conf(str(path)).linux.public_interface == "eth1"


def test_shell_completion_is_hidden_not_a_crash(capsys):
    with pytest.raises(SystemExit) as exited:
        config.load(["--shell_completion", "bash"], prog="netservice-x", default_config_files=[])
    assert exited.value.code == 2
    assert "unrecognized arguments: --shell_completion bash" in capsys.readouterr().err
