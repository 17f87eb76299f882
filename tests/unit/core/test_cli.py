"""Every console script: --help and --version exit 0; a closed pipe is not a traceback."""

from __future__ import annotations

import os
import subprocess
from importlib import metadata

import pytest

import netservice
from netservice.core.programs import script

SCRIPTS = sorted(
    ep.name
    for ep in metadata.entry_points(group="console_scripts")
    if ep.value.startswith(("netservice.", "netservice_"))
    and not ep.value.startswith("netservice_testplugin")
)


def test_every_shipped_console_script_is_listed():
    assert {
        "netservice-api",
        "netservice-manage",
        "netservice-dhcpbridge",
        "netservice-network",
        "netservice-standin",
        "netservice-compute",
        "netservice-flat-manage",
        "netservice-flat-dhcp-manage",
        "netservice-vlan-manage",
    } <= set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_exits_0(name):
    done = subprocess.run(
        [script(name), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_version_prints_the_version(name):
    done = subprocess.run(
        [script(name), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == netservice.__version__


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_closed_pipe_ends_a_manage_tool_quietly(config_file, unbuffered):
    # Unbuffered, the print itself meets the closed pipe, inside the command.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    proc = subprocess.Popen(
        [script("netservice-manage"), "--config-file", config_file, "service", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    proc.stdout.close()  # like `| head` that has read enough: before the tool writes
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141
