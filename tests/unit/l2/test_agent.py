"""The agent: network info, interface XML, wiring a compute host."""

from __future__ import annotations

import shutil
import subprocess
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from netservice_l2 import dataplane
from netservice_l2.agent import L2NetAgent

from netservice.compute import remote
from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.network_info import check_network_info
from netservice.testing.config import make_conf
from tests.unit.l2.conftest import P1


def test_network_info_is_the_mac_and_bridge_and_nothing_of_l3(plugin):
    network = plugin.networks.create(label="seg", bridge="brseg")
    vnic = plugin.vnics.create(P1, network.id)
    info = check_network_info("l2", plugin.get_net_agent().get_network_info(P1, vnic.id))
    assert (info["mac_address"], info["bridge"], info["dns"]) == (vnic.mac, "brseg", [])
    assert {k for k, v in info.items() if v is not None} == {"mac_address", "bridge", "dns"}
    assert plugin.get_net_agent().requires_file_injection(P1, vnic.id) is False


def test_another_projects_vnic_is_not_found(plugin):
    vnic = plugin.vnics.create(P1, plugin.networks.create(label="seg", bridge="brseg").id)
    other = RequestContext(user_id="u2", project_id="p2", roles=("member",))
    with pytest.raises(exceptions.VnicNotFound):
        plugin.get_net_agent().get_interface_xml(other, vnic.id)


def test_interface_xml_is_a_bridge_without_filter_and_valid(plugin, tmp_path):
    vnic = plugin.vnics.create(P1, plugin.networks.create(label="seg", bridge="brseg").id)
    xml = plugin.get_net_agent().get_interface_xml(P1, vnic.id)
    assert xml == (
        f"<interface type='bridge'><mac address='{vnic.mac}'/><source bridge='brseg'/>"
        "<model type='virtio'/></interface>"
    )
    validator = shutil.which("virt-xml-validate")
    if validator is None:
        pytest.skip("virt-xml-validate is not installed (Debian: libvirt-clients)")
    domain = tmp_path / "domain.xml"
    domain.write_text(
        "<domain type='kvm'><name>x</name><memory>1024</memory><os><type>hvm</type></os>"
        f"<devices>{xml}</devices></domain>"
    )
    result = subprocess.run([validator, str(domain), "domain"], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def test_setup_ensures_the_vlan_under_the_bridge_idempotently(plugin, kernel):
    network = plugin.networks.create(label="v", kind="vlan", segment=7, interface="eth1")
    vnic = plugin.vnics.create(P1, network.id)
    agent = plugin.get_net_agent()
    agent.bind_vnics_to_ports(P1, [vnic.id])
    for _ in range(2):
        agent.setup_compute_network(P1, [vnic.id])
    assert kernel.get_link("l2v7").kind == "bridge"
    assert kernel.get_link("eth1.7").master == kernel.get_link("l2v7").index
    agent.teardown_compute_network(P1, [vnic.id, "gone"])


def test_vxlan_without_a_local_address_names_the_option(plugin):
    network = plugin.networks.create(label="x", kind="vxlan", segment=9, interface="eth1")
    vnic = plugin.vnics.create(P1, network.id)
    plugin.get_net_agent().config = type("Group", (), {"vxlan_local_ip": None})()
    with pytest.raises(exceptions.ServiceUnavailable, match="vxlan_local_ip"):
        plugin.get_net_agent().setup_compute_network(P1, [vnic.id])


def test_the_agent_works_over_rest_without_the_database(plugin, kernel, config_path):
    """A compute host with ``[agent] api_url``: same XML, same wiring, through /v1.0/l2/."""

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    network = plugin.networks.create(label="v", kind="vlan", segment=8, interface="eth1")
    vnic = plugin.vnics.create(P1, network.id)
    services = bootstrap.open_services(make_conf(config_path))
    httpd = make_server("127.0.0.1", 0, build_app(make_conf(config_path), services),
                        handler_class=Quiet)  # fmt: skip
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        vnics = remote.RemoteVnics(remote.AgentConfig(url), "l2")
        agent = L2NetAgent(vnics, plugin.open_links, plugin.context.config, "compute-1")
        local = plugin.get_net_agent()
        assert agent.get_interface_xml(P1, vnic.id) == local.get_interface_xml(P1, vnic.id)
        agent.setup_compute_network(P1, [vnic.id])
        assert kernel.get_link("eth1.8").master == kernel.get_link("l2v8").index
        with pytest.raises(exceptions.VnicNotFound):
            agent.get_interface_xml(P1, "no-such-vnic")
    finally:
        httpd.shutdown()
        services.database.dispose()


def test_vlan_device_names_fit_the_kernels_limit():
    assert dataplane.vlan_device("eth1", 7) == "eth1.7"
    long = dataplane.vlan_device("enp0s31f6abcde", 4094)
    assert len(long) <= 15 and long.startswith("v4094-")
    assert long != dataplane.vlan_device("enp0s31f6abcdf", 4094)
