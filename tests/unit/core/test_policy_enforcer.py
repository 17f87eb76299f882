"""oslo.policy's four tools work for the core's and every plugin's namespace."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

NAMESPACES = {
    "netservice": "project_network_service:set",
    "netservice.flat": "flat:network:create",
    "netservice.flat_dhcp": "flat_dhcp:network:leases",
    "netservice.vlan": "vlan:vpn:change",
    "netservice.l2": "l2:network:create",
}


def _tool(name: str, *args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(pathlib.Path(sys.executable).with_name(name)), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


@pytest.fixture
def policy_conf(tmp_path):
    """A config naming a policy file that overrides one rule per namespace."""
    services = tmp_path / "services.conf"
    services.write_text("flat\nflat_dhcp\nvlan\nl2\n")
    policy_file = tmp_path / "policy.yaml"
    lines = [f'"{rule}": "role:netadmin"' for rule in NAMESPACES.values()]
    policy_file.write_text("\n".join([*lines, '"context_is_admin": "role:admin"', ""]))
    conf = tmp_path / "netservice.conf"
    conf.write_text(
        f"[DEFAULT]\nnetwork_service_conf = {services}\n"
        f"[oslo_policy]\npolicy_file = {policy_file}\n"
    )
    return conf


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_sample_generator_lists_the_namespaces_rules(namespace, tmp_path):
    done = _tool("oslopolicy-sample-generator", "--namespace", namespace, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f'#"{NAMESPACES[namespace]}":' in done.stdout
    assert "# Intended scope(s): project" in done.stdout


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_policy_generator_merges_the_file_with_the_defaults(namespace, policy_conf, tmp_path):
    done = _tool(
        "oslopolicy-policy-generator",
        "--config-file", str(policy_conf), "--namespace", namespace,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f'"{NAMESPACES[namespace]}": "role:netadmin"' in done.stdout
    assert '"admin_or_member": "rule:context_is_admin or (' in done.stdout


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_list_redundant_names_the_rule_equal_to_its_default(namespace, policy_conf, tmp_path):
    done = _tool(
        "oslopolicy-list-redundant",
        "--config-file", str(policy_conf), "--namespace", namespace,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '"context_is_admin": "role:admin"'


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_validator_accepts_the_namespaces_rules_only(namespace, policy_conf, tmp_path):
    done = _tool(
        "oslopolicy-validator", "--config-file", str(policy_conf), "--namespace", namespace,
        cwd=tmp_path,
    )  # fmt: skip
    # Every namespace holds the core's rules; the core's namespace holds every
    # loaded plugin's; a plugin's namespace does not know the other plugins' rules.
    foreign = [r for ns, r in NAMESPACES.items() if ns not in (namespace, "netservice")]
    if namespace == "netservice":
        foreign = []
    assert done.returncode == (1 if foreign else 0), done.stdout + done.stderr
    for rule in foreign:
        assert f"Unknown rule found in policy file: {rule}" in done.stdout


def test_validator_reports_a_rule_that_names_no_rule(policy_conf, tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"vlan:vpn:get": "rule:no_such_rule"\n')
    done = _tool(
        "oslopolicy-validator", "--config-file", str(policy_conf), "--namespace", "netservice",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout


def test_without_a_service_list_every_installed_plugin_counts(tmp_path):
    conf = tmp_path / "netservice.conf"
    conf.write_text(f"[DEFAULT]\nnetwork_service_conf = {tmp_path / 'missing.conf'}\n")
    done = _tool(
        "oslopolicy-policy-generator", "--config-file", str(conf), "--namespace", "netservice",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for rule in NAMESPACES.values():
        assert f'"{rule}":' in done.stdout
