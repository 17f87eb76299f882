"""Loading the configuration."""

from __future__ import annotations

from netservice.testing.config import make_conf


def test_relative_paths_are_made_absolute_at_load(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "rel.conf"
    path.write_text("[DEFAULT]\nstate_path = ./state\nnetwork_service_conf = etc/list.conf\n")
    conf = make_conf(str(path))
    assert conf.state_path == os.path.join(str(tmp_path), "state")
    assert conf.network_service_conf == os.path.join(str(tmp_path), "etc/list.conf")
    assert conf.database.connection == f"sqlite:///{tmp_path}/state/netservice.sqlite"
