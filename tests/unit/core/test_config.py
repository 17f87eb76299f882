"""Loading the configuration."""

from __future__ import annotations

import os

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
