"""netservice finds its own programs beside the running Python, never on PATH."""

from __future__ import annotations

import os
import sys

import pytest

from netservice.core import exceptions, programs


def test_a_console_script_is_found_beside_sys_executable_without_path(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    path = programs.script("netservice-api")
    assert os.path.isabs(path)
    assert os.path.dirname(path) == os.path.dirname(os.path.abspath(sys.executable))
    assert os.access(path, os.X_OK)


def test_a_missing_script_names_every_path_looked_at():
    with pytest.raises(exceptions.ConfigurationError) as err:
        programs.script("netservice-no-such-tool")
    beside = os.path.join(
        os.path.dirname(os.path.abspath(sys.executable)), "netservice-no-such-tool"
    )
    assert beside in str(err.value)
    assert "not installed" in str(err.value)


def test_the_dhcp_script_is_an_absolute_path(monkeypatch):
    from netservice.dhcp import dataplane

    monkeypatch.setenv("PATH", "/nonexistent")
    assert dataplane.dhcp_script() == programs.script("netservice-dhcpbridge")


def test_ci_runs_with_the_console_scripts_off_path():
    """Under CI the suite runs in a scrubbed environment (.ci/run uses env -i).

    So a test that starts a console script by bare name fails in CI.
    """
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("only CI guarantees a scrubbed PATH")
    scripts = os.path.dirname(os.path.abspath(sys.executable))
    path = [os.path.abspath(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    assert scripts not in path, f"CI must not put {scripts} on PATH"
