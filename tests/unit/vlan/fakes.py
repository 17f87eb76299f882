"""A recording data plane for the VLAN net-service and agent: links in memory,
dnsmasq and the firewall as dicts (``tests.unit.dhcp.fakes``), plus the VPN
forwards and isolated bridges VLAN adds."""

from __future__ import annotations

from netservice.dhcp.dataplane import HostDataPlane
from netservice.linux.links import Links
from netservice.linux.memory import MemoryBackend, World
from tests.unit.dhcp.fakes import FakeDhcp, FakeFirewall


class VlanFakeFirewall(FakeFirewall):
    def __init__(self) -> None:
        super().__init__()
        self.vpns: dict[tuple[str, int], str] = {}
        self.isolated: set[str] = set()

    def ensure_vpn(self, public, port, private):
        if self.vpns.get((public, port)) != private:
            self.ops.append(("vpn", public, port, private))
        self.vpns[(public, port)] = private

    def remove_vpn(self, public, port):
        self.ops.append(("unvpn", public, port))
        self.vpns.pop((public, port), None)

    def vpn_forwards(self):
        return dict(self.vpns)

    def isolate_bridge(self, bridge):
        self.isolated.add(bridge)

    def unisolate_bridge(self, bridge):
        self.ops.append(("unisolate", bridge))
        self.isolated.discard(bridge)

    def isolated_bridges(self):
        return set(self.isolated)


def dataplane(*, kinds: frozenset[str] | None = None, links: tuple[str, ...] = ("eth1",)):
    """A fake host: ``links`` exist (veths, up); ``kinds`` the link kinds the kernel has."""
    backend = MemoryBackend("", World(kinds))
    for name in links:
        backend.add_link(name, "veth")
    return HostDataPlane(Links(backend), FakeDhcp(), VlanFakeFirewall())  # type: ignore[arg-type]
