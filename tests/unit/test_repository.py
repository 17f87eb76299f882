"""Repository-wide rules: packaging, import direction, test layout, sample config."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
import tarfile
from importlib import metadata

import pytest
from packaging.specifiers import SpecifierSet

from netservice.core.plugin import NetworkServicePlugin

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Entry points of the test distribution that are broken on purpose.
BROKEN_ON_PURPOSE = {"test_broken_import", "test_no_agent", "test_bad_init"}
# Unit test modules about the repository rather than one source module.
NOT_MIRRORED = {
    "tests/unit/test_repository.py",
    "tests/unit/test_stop_leftovers.py",
    "tests/unit/test_demo.py",  # demo/, outside the package
}


def test_console_scripts_load_under_their_names():
    scripts = {
        ep.name: ep
        for ep in metadata.entry_points(group="console_scripts")
        if ep.value.startswith("netservice.")
    }
    assert {"netservice-api", "netservice-manage", "netservice-dhcpbridge"} <= set(scripts)
    for ep in scripts.values():
        assert callable(ep.load()), ep


def test_every_installed_plugin_entry_point_loads():
    loaded = 0
    for ep in metadata.entry_points(group="netservice.plugins"):
        if ep.name in BROKEN_ON_PURPOSE:
            continue
        plugin = ep.load()
        assert issubclass(plugin, NetworkServicePlugin), ep
        loaded += 1
    assert loaded >= 2


DISTRIBUTIONS = {
    ".": "netservice",
    "plugins/flat": "netservice_flat",
    "plugins/flat_dhcp": "netservice_flat_dhcp",
    "plugins/vlan": "netservice_vlan",
    "plugins/l2": "netservice_l2",
    "tests/plugins/testplugin": "netservice_testplugin",
}


def test_every_distribution_ships_py_typed():
    import configparser

    found = {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("plugins/*/setup.cfg")}
    assert found <= set(DISTRIBUTIONS), "a new plugin: add it here"
    for directory, package in DISTRIBUTIONS.items():
        assert (ROOT / directory / package / "py.typed").is_file(), package
        setup = configparser.ConfigParser()
        setup.read(ROOT / directory / "setup.cfg")
        data = [p.strip() for p in setup["options.package_data"][package].split(",")]
        assert "py.typed" in data, f"{directory}/setup.cfg does not install {package}/py.typed"


def test_config_generator_hook_loads():
    (ep,) = [
        ep for ep in metadata.entry_points(group="oslo.config.opts") if ep.name == "netservice"
    ]
    groups = dict(ep.load()())
    assert {"DEFAULT", "api", "database"} <= set(groups)


def test_the_data_plane_registers_its_options_by_entry_point():
    from netservice.core import config

    groups = dict(config.framework_opts())
    assert "linux" in groups and "dry_run" in {o.name for o in groups["linux"]}


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_never_imports_a_plugin_and_only_linux_touches_the_kernel():
    for path in (ROOT / "netservice").rglob("*.py"):
        imported = _imports(path)
        plugins = {name for name in imported if name.startswith("netservice_")}
        assert not plugins, f"{path} imports plugin package(s) {plugins}"
        if "linux" not in path.relative_to(ROOT / "netservice").parts:
            assert not imported & {"subprocess", "pyroute2"}, f"{path} touches the kernel"


def _modules(path: pathlib.Path) -> set[str]:
    """Every module ``path`` imports, in full, anywhere in the file (function-local too)."""
    tree = ast.parse(path.read_text(), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_core_never_imports_the_data_plane():
    for path in (ROOT / "netservice" / "core").rglob("*.py"):
        crossed = {
            m
            for m in _modules(path)
            if m == "netservice.linux" or m.startswith("netservice.linux.")
        }
        assert not crossed, f"{path} imports the data plane: {crossed}"


def test_plugins_never_import_each_other():
    plugins = ROOT / "plugins"
    packages = {
        d: {p.name for p in d.iterdir() if p.is_dir() and p.name.startswith("netservice_")}
        for d in (plugins.iterdir() if plugins.exists() else [])
        if d.is_dir()
    }
    for plugin_dir in packages:
        others = set().union(*(p for d, p in packages.items() if d != plugin_dir))
        for path in plugin_dir.rglob("*.py"):
            crossed = _imports(path) & others
            assert not crossed, f"{path} imports another plugin: {crossed}"


def test_unit_tests_mirror_source_modules():
    for test in (ROOT / "tests" / "unit").rglob("test_*.py"):
        rel = test.relative_to(ROOT / "tests" / "unit")
        if str(test.relative_to(ROOT)) in NOT_MIRRORED:
            continue
        module = rel.parent / rel.name.removeprefix("test_")
        plugin = ROOT / "plugins" / rel.parts[0]
        if len(rel.parts) > 1 and plugin.is_dir():
            # tests/unit/<plugin>/... mirrors plugins/<plugin>/netservice_<plugin>/...
            source = plugin / f"netservice_{rel.parts[0]}" / pathlib.Path(*module.parts[1:])
            # ... or a framework part the plugin is assembled from as it is
            # (tests/unit/vlan/test_leases.py: netservice/dhcp/leases.py).
            parts = [ROOT / "netservice" / pkg / module.name for pkg in ("networks", "dhcp")]
        else:
            source = ROOT / "netservice" / module
            parts = []
        assert any(p.exists() or p.with_suffix("").is_dir() for p in [source, *parts]), (
            f"{test} has no source module {source}"
        )


@pytest.mark.skipif(
    not (ROOT / "etc" / "oslo-config-generator" / "netservice.conf").exists(),
    reason="no generator config",
)
def test_sample_config_is_current(tmp_path):
    out = tmp_path / "netservice.conf"
    generator = pathlib.Path(sys.executable).with_name("oslo-config-generator")
    subprocess.run(
        [
            str(generator),
            "--config-file",
            str(ROOT / "etc/oslo-config-generator/netservice.conf"),
            "--output-file",
            str(out),
        ],
        check=True,
        cwd=ROOT,
    )
    shipped = (ROOT / "etc" / "netservice.conf").read_text()
    assert out.read_text() == shipped, "etc/netservice.conf is stale: run 'make sample-config'"


def test_sample_policy_is_current(tmp_path):
    out = tmp_path / "policy.yaml.sample"
    generator = pathlib.Path(sys.executable).with_name("oslopolicy-sample-generator")
    subprocess.run(
        [
            str(generator),
            "--config-file",
            str(ROOT / "etc/oslo-policy-generator/netservice.conf"),
            "--output-file",
            str(out),
        ],
        check=True,
        cwd=ROOT,
    )
    shipped = (ROOT / "etc" / "policy.yaml.sample").read_text()
    assert out.read_text() == shipped, "etc/policy.yaml.sample is stale: run 'make sample-policy'"
    for namespace in ("flat", "flat_dhcp", "vlan", "l2"):
        assert f'#"{namespace}:network:create": "rule:admin_only"' in shipped


def test_policy_entry_points_load_for_every_namespace():
    names = {"netservice", "netservice.flat", "netservice.flat_dhcp", "netservice.vlan",
             "netservice.l2"}
    for group in ("oslo.policy.policies", "oslo.policy.enforcer"):
        found = {ep.name: ep for ep in metadata.entry_points(group=group) if ep.name in names}
        assert set(found) == names, group
        for ep in found.values():
            assert callable(ep.load()), ep


PLUGIN_DISTS = {"flat": "netservice-flat", "flat_dhcp": "netservice-flat-dhcp",
                "vlan": "netservice-vlan", "l2": "netservice-l2"}  # fmt: skip


def test_one_version_for_every_distribution():
    version = (ROOT / "VERSION").read_text().strip()
    assert metadata.version("netservice") == version
    major = int(version.split(".")[0])
    for directory, dist in PLUGIN_DISTS.items():
        link = ROOT / "plugins" / directory / "VERSION"
        assert link.is_symlink() and link.resolve() == (ROOT / "VERSION").resolve(), link
        assert metadata.version(dist) == version, dist
        (wanted,) = [r for r in metadata.requires(dist) or [] if r.startswith("netservice")]
        spec = SpecifierSet(wanted.removeprefix("netservice"))
        assert version in spec, f"{dist} requires {wanted}, not the netservice it ships with"
        assert f"{major + 1}.0.0" not in spec, f"{dist} accepts the next major: {wanted}"


def test_the_sdist_carries_etc_and_docs(tmp_path):
    subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "sdist",
         "--dist-dir", str(tmp_path)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    (sdist,) = tmp_path.glob("netservice-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {
        "VERSION",
        "etc/netservice.conf",
        "etc/policy.yaml.sample",
        "etc/nova-network.conf",
        "docs/architecture.md",
        "docs/policy.md",
        "netservice/core/db/migrations/script.py.mako",
    } <= names


def test_openapi_document_is_current(tmp_path):
    """docs/openapi.json is what the code serves for the repository's plugins."""
    state = tmp_path / "state"
    conf = tmp_path / "netservice.conf"
    conf.write_text(
        "[DEFAULT]\n"
        f"network_service_conf = {ROOT / 'etc' / 'nova-network.conf'}\n"
        f"state_path = {state}\n"
    )
    manage = pathlib.Path(sys.executable).with_name("netservice-manage")
    out = subprocess.run(
        [str(manage), "--config-file", str(conf), "api", "openapi"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    shipped = (ROOT / "docs" / "openapi.json").read_text()
    assert out == shipped, "docs/openapi.json is stale: run 'make openapi'"
