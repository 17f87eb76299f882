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


SHIPPED = {
    "flat": ("netservice_flat.plugin", "FlatPlugin"),
    "flat_dhcp": ("netservice_flat_dhcp.plugin", "FlatDhcpPlugin"),
    "vlan": ("netservice_vlan.plugin", "VlanPlugin"),
    "l2": ("netservice_l2.plugin", "L2Plugin"),
}


@pytest.mark.parametrize("form", ["entry point", "module:Class", "module"])
@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_plugins_load_in_every_form(tmp_path, name, form):
    module, cls = SHIPPED[name]
    entry = {"entry point": name, "module:Class": f"{module}:{cls}", "module": module}[form]
    manager = load(tmp_path, [entry], default=name)
    assert manager.names() == [name]
    assert type(manager.get(name)).__name__ == cls


def test_a_bare_module_path_loads_its_one_plugin_class(tmp_path):
    manager = load(tmp_path, ["netservice_testplugin.minimal"], default="minimal")
    assert type(manager.get("minimal")).__name__ == "MinimalPlugin"


def test_a_module_plugin_attribute_wins(tmp_path, monkeypatch):
    import netservice_testplugin.plugin as module

    monkeypatch.setattr(module, "plugin", module.NamedTestPlugin, raising=False)
    manager = load(tmp_path, ["netservice_testplugin.plugin"], default="by_path")
    assert type(manager.get("by_path")) is module.NamedTestPlugin


def test_a_plugin_without_options_rules_or_migrations_serves(tmp_path):
    from netservice.core import bootstrap
    from netservice.core.api.router import build_app
    from netservice.testing.client import ApiClient

    path = write_config(str(tmp_path), ["netservice_testplugin.minimal"], default="minimal")
    conf = make_conf(path)
    manager = NetworkServiceManager.load(conf, Database(f"sqlite:///{tmp_path}/db.sqlite"))
    plugin = manager.get("minimal")
    assert type(plugin).CONFIG_OPTS == () and type(plugin).POLICY_RULES == ()
    assert list(plugin.context.config) == []  # its (empty) group exists
    assert bootstrap.sync_schema(manager) == ["core"]
    services = ApiClient(build_app(conf, manager), "p1").get("/v1.0/network_services")
    assert services.status == 200, services.body
    assert "minimal" in str(services.body)


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("netservice_testplugin.plugin", "exposes 3 plugin classes (NamedTestPlugin, "),
        ("netservice_testplugin.models", "exposes 0 plugin classes, not one"),
        ("netservice_testplugin.broken", "does not import"),
        ("netservice_testplugin.plugin.Nope", "has no attribute Nope"),
        ("nosuch_module.sub", "module nosuch_module does not import"),
        ("not a path", "not an entry point name, a module path or a Python path"),
    ],
)
def test_bad_module_paths_fail_naming_the_entry(tmp_path, entry, fragment):
    with pytest.raises(exceptions.PluginLoadError) as info:
        load(tmp_path, [entry])
    message = str(info.value)
    assert fragment in message
    assert f"'{entry}'" in message and "nova-network.conf:" in message
    assert "\n" not in message


def test_a_plugin_attribute_must_be_a_class(tmp_path, monkeypatch):
    import netservice_testplugin.plugin as module

    monkeypatch.setattr(module, "plugin", "flat", raising=False)
    with pytest.raises(exceptions.PluginLoadError, match=r"\.plugin is a str, not a class"):
        load(tmp_path, ["netservice_testplugin.plugin"])


def test_shipped_plugins_name_themselves_as_their_entry_points():
    from importlib.metadata import entry_points

    for ep in entry_points(group="netservice.plugins"):
        if ep.name in SHIPPED:
            assert ep.load().name == ep.name


@pytest.mark.parametrize(
    "text",
    ["test_other", "netservice_testplugin.plugin:OtherTestPlugin", "netservice_flat.plugin"],
)
def test_name_for_resolves_paths_to_the_loaded_name(tmp_path, text):
    from netservice.core.manager import name_for

    manager = load(tmp_path, ["test", "test_other", "flat"])
    expected = "flat" if "flat" in text else "test_other"
    assert name_for(manager, text) == expected
    assert name_for(manager, "vlan") == "vlan"  # not loaded: left for the caller to refuse
