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
