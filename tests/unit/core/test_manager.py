"""NetworkServiceManager: loading, checking and finding plugins."""

from __future__ import annotations

import logging

import pytest

from netservice.core import exceptions
from netservice.core.db import api as db_api
from netservice.core.db.session import Database
from netservice.core.manager import NetworkServiceManager, read_service_list
from netservice.testing.config import make_conf, write_config


def load(tmp_path, services, default="test"):
    conf = make_conf(write_config(str(tmp_path), services, default=default))
    return NetworkServiceManager.load(conf, Database("sqlite://"))


def test_reads_entries_skipping_blanks_and_comments(tmp_path):
    path = tmp_path / "list.conf"
    path.write_text("# services\n\ntest   # the test one\n  test_other\n#flat\n")
    entries = read_service_list(str(path))
    assert [(e.text, e.line) for e in entries] == [("test", 3), ("test_other", 4)]


def test_loads_entry_points_and_finds_them(tmp_path):
    manager = load(tmp_path, ["test", "test_other"])
    assert manager.names() == ["test", "test_other"]
    assert type(manager.get("test_other")).__name__ == "OtherTestPlugin"
    assert manager.get("test").context.name == "test"


@pytest.mark.parametrize(
    ("entries", "fragment"),
    [
        (["nosuch"], "'nosuch'"),
        (["test_broken_import"], "does not import"),
        (["netservice_testplugin.nosuch:Plugin"], "does not import"),
        (["netservice_testplugin.plugin:Nope"], "has no attribute Nope"),
        (["test_no_agent"], "does not provide get_net_agent()"),
        (["test_bad_init"], "cannot reach the frobnicator"),
        (["test", "test"], "duplicate network service name 'test'"),
    ],
)
def test_bad_entries_fail_naming_the_entry(tmp_path, entries, fragment):
    with pytest.raises(exceptions.PluginLoadError) as info:
        load(tmp_path, entries)
    message = str(info.value)
    assert fragment in message
    assert "nova-network.conf:" in message  # names the file and line


def test_unknown_name_says_how_to_fix(tmp_path):
    with pytest.raises(exceptions.PluginLoadError, match=r"netservice\.plugins"):
        load(tmp_path, ["nosuch"])


def test_python_path_without_name_is_refused(tmp_path):
    with pytest.raises(exceptions.PluginLoadError, match="must set a class attribute 'name'"):
        load(tmp_path, ["netservice_testplugin.plugin:TestPlugin"])


def test_missing_file(tmp_path):
    conf = make_conf(write_config(str(tmp_path), [], default="test"))
    conf.set_override("network_service_conf", str(tmp_path / "absent.conf"))
    with pytest.raises(exceptions.ConfigurationError, match=r"absent\.conf does not exist"):
        NetworkServiceManager.load(conf, Database("sqlite://"))


def test_default_must_be_loaded(tmp_path):
    with pytest.raises(exceptions.ConfigurationError, match="default_network_service 'vlan'"):
        load(tmp_path, ["test"], default="vlan")


def test_no_services_warns_and_serves_core_only(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        manager = load(tmp_path, [], default="vlan")
    assert manager.names() == []
    assert "no network service is loaded" in caplog.text


def test_for_project_follows_association_then_default(tmp_path):
    manager = load(tmp_path, ["test", "test_other"])
    from netservice.core import bootstrap

    bootstrap.sync_schema(manager)
    assert manager.service_name_for_project("p1") == ("test", True)
    db_api.set_project_service(manager.database, "p1", "test_other")
    assert manager.for_project("p1") is manager.get("test_other")
    assert manager.service_name_for_project("p1") == ("test_other", False)


def test_get_unknown_names_loaded(tmp_path):
    manager = load(tmp_path, ["test"])
    with pytest.raises(exceptions.NetworkServiceNotFound, match="loaded services: test"):
        manager.get("vlan")


def test_plugin_gets_its_own_config_group(tmp_path):
    path = write_config(
        str(tmp_path), ["test"], default="test", extra={"test": {"lease_file": "/x/y"}}
    )
    manager = NetworkServiceManager.load(make_conf(path), Database("sqlite://"))
    assert manager.get("test").context.config.lease_file == "/x/y"


@pytest.mark.parametrize(
    "entry",
    [
        "netservice_testplugin.plugin:NamedTestPlugin",
        "netservice_testplugin.plugin.NamedTestPlugin",
    ],
)
def test_loads_a_python_path_with_a_name(tmp_path, entry):
    manager = load(tmp_path, [entry], default="by_path")
    assert manager.names() == ["by_path"]


def test_plugin_must_subclass_the_contract(tmp_path, monkeypatch):
    import netservice_testplugin.bad as bad

    class Impostor:
        name = "impostor"

        def __init__(self, context): ...
        def get_os_service(self): ...
        def get_os_api_service(self): ...
        def get_net_agent(self): ...

    monkeypatch.setattr(bad, "Impostor", Impostor, raising=False)
    with pytest.raises(
        exceptions.PluginLoadError,
        match=r"is not a netservice\.core\.plugin\.NetworkServicePlugin",
    ):
        load(tmp_path, ["netservice_testplugin.bad:Impostor"], default="impostor")


def test_network_info_keys_are_checked_at_the_boundary():
    from netservice.core.network_info import NETWORK_INFO_KEYS, check_network_info

    good = dict.fromkeys(NETWORK_INFO_KEYS)
    assert check_network_info("p", good) is good
    bad = {**good, "label": "x"}
    del bad["ra_server"]
    with pytest.raises(
        exceptions.PluginFailure, match=r"missing \['ra_server'\], unexpected \['label'\]"
    ):
        check_network_info("p", bad)
