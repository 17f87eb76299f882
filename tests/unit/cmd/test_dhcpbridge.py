"""netservice-dhcpbridge: dnsmasq's script, turned into lease callbacks."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from netservice.core.programs import script
from netservice.testing.config import write_config


@pytest.fixture
def bridge_env(tmp_path):
    lease_file = tmp_path / "leases.jsonl"
    config = write_config(
        str(tmp_path), ["test"], default="test", extra={"test": {"lease_file": lease_file}}
    )
    env = dict(
        os.environ,
        NETSERVICE_SERVICE="test",
        NETSERVICE_NETWORK_ID="net-1",
        NETSERVICE_CONFIG_FILES=config,
    )
    return env, lease_file


def bridge(env, *args):
    return subprocess.run(
        [script("netservice-dhcpbridge"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_add_old_del_and_init(bridge_env):
    env, lease_file = bridge_env
    assert bridge(env, "add", "FA:16:3E:00:00:01", "10.0.0.3", "vm1").returncode == 0
    assert bridge(env, "old", "fa:16:3e:00:00:02", "10.0.0.4").returncode == 0
    events = [json.loads(line) for line in lease_file.read_text().splitlines()]
    assert events[0] == {
        "event": "lease",
        "network_id": "net-1",
        "mac": "fa:16:3e:00:00:01",
        "ip": "10.0.0.3",
        "hostname": "vm1",
    }
    assert bridge(env, "del", "fa:16:3e:00:00:02", "10.0.0.4").returncode == 0
    init = bridge(env, "init")
    assert (init.returncode, init.stdout) == (0, "0 fa:16:3e:00:00:01 10.0.0.3 vm1 *\n")


def test_usage(bridge_env):
    env, _ = bridge_env
    assert bridge(env, "frob").returncode == 2
    assert bridge(env, "add", "fa:16:3e:00:00:01").returncode == 2


def test_missing_environment_is_logged_not_fatal_for_events(bridge_env):
    env, _ = bridge_env
    env = {k: v for k, v in env.items() if k != "NETSERVICE_NETWORK_ID"}
    done = bridge(env, "add", "fa:16:3e:00:00:01", "10.0.0.3")
    assert done.returncode == 0
    assert "NETSERVICE_NETWORK_ID" in done.stderr
    assert bridge(env, "init").returncode == 1


def test_a_plugin_without_dhcp_is_reported(tmp_path):
    config = write_config(str(tmp_path), ["test"], default="test")  # no lease_file: no handler
    env = dict(
        os.environ,
        NETSERVICE_SERVICE="test",
        NETSERVICE_NETWORK_ID="n",
        NETSERVICE_CONFIG_FILES=config,
    )
    done = bridge(env, "init")
    assert done.returncode == 1
    assert "serves no DHCP" in done.stderr
