"""Kill the API between bind_vnics_to_ports and setup_compute_network, then retry.

The compute API side (with the database) runs in this process; its net agent
is remote, calling a real ``netservice-api``.  After the API is killed
mid-boot and restarted, the retried boot ends fully set up, with one VNIC
and one fixed IP.
"""

from __future__ import annotations

import re
import signal
import subprocess

import pytest
import sqlalchemy as sa

from netservice.compute.instances import InstanceNetworks
from netservice.core import bootstrap, exceptions
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.dhcp.agent import port_name
from netservice.linux.testing import ns_run
from netservice.testing.config import make_conf, write_config

P1 = RequestContext(project_id="p1")


class Api:
    def __init__(self, config: str) -> None:
        self.config = config
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [script("netservice-api"), "--config-file", self.config],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        while True:
            line = self.proc.stdout.readline()
            if not line:
                pytest.fail("netservice-api did not start")
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                self.url = found.group(1)
                return

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=15)


def test_a_boot_interrupted_by_an_api_crash_completes_on_retry(netns, state_dir, need):
    need("nft")
    compute_ns = netns("compute")
    db = f"sqlite:///{state_dir}/shared.sqlite"
    api_config = write_config(
        str(state_dir / "api"),
        ["flat_dhcp"],
        default="flat_dhcp",
        connection=db,
        extra={"api": {"embedded_net_services": "false", "bind_port": 0}},
    )
    subprocess.run(
        [
            script("netservice-flat-dhcp-manage"),
            "--config-file",
            api_config,
            "network",
            "create",
            "--label",
            "c",
            "--fixed_range_v4",
            "10.60.0.0/24",
            "--bridge",
            "br160",
        ],
        check=True,
    )
    subprocess.run(
        [
            script("netservice-manage"),
            "--config-file",
            api_config,
            "project",
            "network_set",
            "p1",
            "flat_dhcp",
        ],
        check=True,
    )
    api = Api(api_config)
    api.start()
    # The restarted API must come back on the same port the agent knows.
    port = api.url.rsplit(":", 1)[1]
    api.kill()
    with open(api_config, "a", encoding="utf-8") as handle:
        handle.write(f"\n[api]\nbind_port = {port}\n")
    api.start()
    compute_config = write_config(
        str(state_dir / "compute"),
        ["flat_dhcp"],
        default="flat_dhcp",
        connection=db,
        extra={"agent": {"api_url": api.url}, "linux": {"namespace": compute_ns}},
    )
    manager = bootstrap.open_services(make_conf(compute_config))
    instances = InstanceNetworks(manager)
    agent = manager.get("flat_dhcp").get_net_agent()
    setup = agent.setup_compute_network

    def crash_then_setup(context, vnic_ids):
        api.kill()  # the API dies after the bind, before the setup
        return setup(context, vnic_ids)

    agent.setup_compute_network = crash_then_setup
    try:
        with pytest.raises(exceptions.ServiceUnavailable, match="unreachable"):
            instances.create_instance_network_legacy(P1, "i-crash")
        agent.setup_compute_network = setup
        api.start()
        result = instances.create_instance_network_legacy(P1, "i-crash")
    finally:
        api.kill()
    (vnic,) = result.vnic_ids
    schema = manager.get("flat_dhcp").schema
    with manager.database.transaction() as session:
        vnics = session.scalar(
            sa.select(sa.func.count())
            .select_from(schema.vnic)
            .where(schema.vnic.project_id == "p1", schema.vnic.deleted == 0)
        )
        ips = session.scalars(
            sa.select(schema.fixed_ip.address).where(
                schema.fixed_ip.vnic_id == vnic, schema.fixed_ip.allocated.is_(True)
            )
        ).all()
    assert vnics == 1, "the retry created another VNIC"
    assert len(ips) == 1, f"the VNIC holds {ips}"
    assert port_name(vnic) in ns_run(compute_ns, "nft", "list", "ruleset").stdout
    assert "<mac address=" in result.interfaces[0]
    manager.database.dispose()
