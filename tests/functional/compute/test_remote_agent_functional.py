"""The net agent on a compute host with no database: it reaches its plugin over REST.

A real ``netservice-api`` process serves the plugins (on PostgreSQL when it
is reachable); the "compute host" loads the same plugins with a database URL
nothing listens on and ``[agent] api_url`` pointing at that API, and its
agent binds, sets up (bridge and per-VNIC filter in its own namespace),
reports and tears down a VNIC.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request

import pytest

from netservice.compute import remote
from netservice.core import bootstrap
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.dhcp.agent import port_name
from netservice.linux.testing import ns_run
from netservice.testing import databases
from netservice.testing.config import make_conf, write_config

CTX = RequestContext(project_id="p1")
NOWHERE = "postgresql+psycopg://nobody@127.0.0.1:9/nodb"  # port 9: discard, nothing listens


@pytest.fixture
def database_url(tmp_path):
    server = databases.server_url("postgresql")
    if databases.unreachable_reason(server) is None:
        url, name = databases.fresh_schema(server)
        yield url
        databases.drop_schema(server, name)
    elif databases.in_ci():
        pytest.fail("CI=true but PostgreSQL is unreachable")
    else:
        yield f"sqlite:///{tmp_path}/api.sqlite"


@pytest.fixture
def api(tmp_path, database_url):
    config = write_config(
        str(tmp_path / "api"),
        ["flat_dhcp"],
        default="flat_dhcp",
        connection=database_url,
        extra={"api": {"embedded_net_services": "false"}},
    )
    manager = bootstrap.open_services(make_conf(config))
    bootstrap.sync_schema(manager)
    manager.database.dispose()
    manage = [script("netservice-flat-dhcp-manage"), "--config-file", config]
    subprocess.run(
        [
            *manage,
            "network",
            "create",
            "--label",
            "r",
            "--fixed_range_v4",
            "10.30.0.0/24",
            "--bridge",
            "br130",
        ],
        check=True,
    )
    subprocess.run(
        [
            script("netservice-manage"),
            "--config-file",
            config,
            "project",
            "network_set",
            "p1",
            "flat_dhcp",
        ],
        check=True,
    )
    proc = subprocess.Popen(
        [script("netservice-api"), "--config-file", config],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = None
    while url is None:
        line = proc.stdout.readline()
        if not line:
            pytest.fail("netservice-api did not start")
        found = re.search(r"listening on (http://\S+)", line)
        url = found.group(1) if found else None
    yield url
    proc.terminate()
    proc.wait(timeout=15)


def rest(url, method, path, body=None):
    req = urllib.request.Request(
        f"{url}/v1.0/flat_dhcp{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"X-Project-Id": "p1", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as reply:
        return json.loads(reply.read() or b"null")


def test_the_remote_agent_wires_a_vnic_without_the_database(api, netns, tmp_path, need):
    need("nft")
    compute = netns("compute")
    config = write_config(
        str(tmp_path / "compute"),
        ["flat_dhcp"],
        default="flat_dhcp",
        connection=NOWHERE,
        extra={"agent": {"api_url": api}, "linux": {"namespace": compute}},
    )
    manager = bootstrap.open_services(make_conf(config))
    agent = manager.get("flat_dhcp").get_net_agent()
    assert isinstance(agent.vnics, remote.RemoteVnics)

    vnic = rest(api, "POST", "/vnics", {"vnic": {}})["vnic"]
    agent.bind_vnics_to_ports(CTX, [vnic["id"]])
    agent.bind_vnics_to_ports(CTX, [vnic["id"]])  # idempotent
    agent.setup_compute_network(CTX, [vnic["id"]])
    address = rest(api, "GET", f"/vnics/{vnic['id']}")["vnic"]["address"]
    assert address and address.startswith("10.30.0.")
    info = agent.get_network_info(CTX, vnic["id"])
    assert (info["ip_address"], info["mac_address"], info["gateway"]) == (
        address,
        vnic["mac_address"],
        "10.30.0.1",
    )
    xml = agent.get_interface_xml(CTX, vnic["id"])
    assert f"<target dev='{port_name(vnic['id'])}'/>" in xml and "br130" in xml
    # The compute host's own kernel: the bridge, and the VNIC's port filter.
    assert ns_run(compute, "test", "-d", "/sys/class/net/br130/bridge").returncode == 0
    assert port_name(vnic["id"]) in ns_run(compute, "nft", "list", "ruleset").stdout

    agent.teardown_compute_network(CTX, [vnic["id"]])
    agent.teardown_compute_network(CTX, [vnic["id"]])  # idempotent
    assert port_name(vnic["id"]) not in ns_run(compute, "nft", "list", "ruleset").stdout
    assert rest(api, "GET", f"/vnics/{vnic['id']}")["vnic"]["address"] is None
    # Nothing on this "host" ever connected to a database.
    assert manager.database.engine.pool.checkedin() == 0


def test_an_unreachable_api_is_a_clear_error(tmp_path):
    from netservice.core import exceptions

    config = write_config(
        str(tmp_path / "c2"),
        ["flat_dhcp"],
        default="flat_dhcp",
        connection=NOWHERE,
        extra={"agent": {"api_url": "http://127.0.0.1:9"}},
    )
    agent = bootstrap.open_services(make_conf(config)).get("flat_dhcp").get_net_agent()
    with pytest.raises(exceptions.ServiceUnavailable, match=r"http://127\.0\.0\.1:9 unreachable"):
        agent.bind_vnics_to_ports(CTX, ["0123abcd-0000-0000-0000-000000000000"])
