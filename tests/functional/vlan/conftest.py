"""What the VLAN functional tests share: booting a stand-in instance through the
OS service and the net agent, and watching an instance's wire with tcpdump."""

from __future__ import annotations

import subprocess
import time
from types import SimpleNamespace

from netservice.core.context import RequestContext
from netservice.linux.testing import poll

ADMIN = RequestContext.admin("ops")


def boot(plugin, harness, netns, name, project, *, vpn=False, agent=None, settle=None):
    """A VNIC on the project's network, bound and set up by the agent, and its stand-in.

    ``vpn``: the project's VPN instance, bound (by an admin) to the network's
    reserved VPN address.  ``settle`` runs once the port is bound: an
    in-process net-service's reconcile, standing in for the notification.
    The stand-in gets its address by DHCP, retried until the network
    host's dnsmasq has the entry.
    """
    ctx = RequestContext(project)
    agent = agent or plugin.get_net_agent()
    vnic = plugin.get_os_service().get_default_vnic_id(ctx)
    if vpn:
        plugin.vnics.bind(ADMIN, vnic, vpn=True)
    agent.bind_vnics_to_ports(ctx, [vnic])
    agent.setup_compute_network(ctx, [vnic])
    if settle is not None:
        settle()
    address = agent.get_network_info(ctx, vnic)["ip_address"]
    vm = harness.create(netns(name), agent.get_interface_xml(ctx, vnic))
    lease = poll(lambda: _try_dhcp(harness, vm), timeout=20, interval=0.2)
    card = plugin.vnics.get(ctx, vnic)
    return SimpleNamespace(vnic=vnic, address=address, vm=vm, ns=vm.namespace, lease=lease,
                           mac=card.mac)  # fmt: skip


def _try_dhcp(harness, vm):
    try:
        return harness.dhcp(vm, attempts=2)
    except Exception:
        return None


class Capture:
    """tcpdump on an instance's eth0, for frames matching ``expression``."""

    def __init__(self, ns: str, expression: str) -> None:
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "tcpdump", "-i", "eth0", "-nn", "-e", "-l", "-p",
             expression],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.proc.stderr is not None
        # tcpdump says "listening on eth0" once its filter is in place.
        deadline = time.monotonic() + 10
        while "listening on" not in self.proc.stderr.readline():
            assert time.monotonic() < deadline and self.proc.poll() is None, (
                "tcpdump did not start"
            )

    def stop(self) -> list[str]:
        """The frames seen, one line each."""
        time.sleep(0.2)  # let the last frames through the capture buffer
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return [line for line in out.splitlines() if line.strip()]
