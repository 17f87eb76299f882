"""What the demo's instances are: namespace stand-ins, or real libvirt guests.

The story (demo/story.py) boots instances through ``netservice-compute`` and
then asks the same three things of each, whatever it is: ping from it, the
addresses its boot reported, and its console lines.  ``StandIns`` answers
from the instance's namespace; ``Guests`` (``make demo REAL=1``) starts a
private libvirtd in the sandbox's host namespace, as tests/functional/libvirt
does, points ``[compute] hypervisor = libvirt`` at it, and answers through
each guest's control shell and console.  ``close`` stops what ``start``
started; the story's clean-up removes the namespaces after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from netservice.linux import exceptions, guestimage
from netservice.linux.guests import LibvirtGuests
from netservice.linux.libvirtd import Libvirtd
from netservice.linux.testing import ns_run, pings

LOG = logging.getLogger(__name__)
Say = Callable[[str], None]


class Instances(Protocol):
    """The story's view of an instance, by its full name (``<tag>-a1``)."""

    kind: str
    boot_timeout: float  # seconds the story keeps retrying one boot

    def start(self, host: str, workdir: str, say: Say) -> dict[str, str]:
        """Ready to boot in namespace ``host``; returns the ``[compute]`` options."""

    def pings(self, instance: str, address: str) -> bool:
        """One ping from inside ``instance`` to ``address`` answered."""

    def console(self, instance: str) -> list[str]:
        """What the instance reported about its network; none for a stand-in."""

    def assign(self, instance: str, cidr: str) -> None:
        """Give the instance's eth0 an address of its own choosing (an l2 segment
        hands out none)."""

    def close(self) -> None:
        """Stop what ``start`` started (the instances are terminated already)."""


def addresses(boot_output: Sequence[str]) -> list[str]:
    """The address of each NIC line ``netservice-compute boot`` printed, in order.

    ``a1 eth0 MAC on br170: 10.70.0.2/24 via 10.70.0.1 (dhcp)`` (a stand-in),
    ``a1 eth0 MAC on br170: inet=10.70.0.2/24, (dhcp)`` (a guest); a guest's
    ``a1 console: ...`` lines are not NICs.
    """
    found = []
    for line in boot_output:
        if " console: " in line or ": " not in line:
            continue
        got = line.split(": ", 1)[1].removeprefix("inet=")
        found.append(got.split("/", 1)[0].split(",", 1)[0].split(" ", 1)[0])
    return found


class StandIns:
    """Network namespaces wired as libvirt would wire them (the default)."""

    kind = "stand-in"
    boot_timeout = 60.0

    def start(self, host: str, workdir: str, say: Say) -> dict[str, str]:
        del host, workdir, say
        return {"hypervisor": "standin"}

    def pings(self, instance: str, address: str) -> bool:
        return pings(instance, address)

    def assign(self, instance: str, cidr: str) -> None:
        ns_run(instance, "ip", "addr", "replace", cidr, "dev", "eth0")

    def console(self, instance: str) -> list[str]:
        del instance
        return []

    def close(self) -> None:
        return None


class Guests:
    """QEMU guests through a private libvirtd in the sandbox's host namespace."""

    kind = "libvirt guest"
    boot_timeout = 240.0  # TCG: five guests booting at once on shared cores

    def __init__(self) -> None:
        self.daemon: Libvirtd | None = None
        self.guests: LibvirtGuests | None = None

    def start(self, host: str, workdir: str, say: Say) -> dict[str, str]:
        """libvirtd in ``host`` under ``<workdir>/libvirt``; the guest image built once."""
        root = Path(workdir) / "libvirt"
        state = Path(workdir) / "state"
        image = guestimage.build(state)  # before the parallel boots, so they share it
        self.daemon = Libvirtd(root, host)
        self.daemon.start(timeout=180)
        self.guests = LibvirtGuests(self.daemon.uri, state / "instances", image)
        say(f"libvirtd in {host} under {root}; guest image {image.initrd.name}")
        return {"hypervisor": "libvirt", "libvirt_uri": self.daemon.uri}

    def _guests(self) -> LibvirtGuests:
        if self.guests is None:
            raise RuntimeError("libvirtd is not started")
        return self.guests

    def pings(self, instance: str, address: str) -> bool:
        status, _ = self._shell(instance, f"ping -c2 -W2 {address}")
        return status == 0

    def _shell(self, instance: str, command: str, attempts: int = 3) -> tuple[int, str]:
        """``command`` in the guest's control shell, asked again when it goes unanswered.

        A command can be lost while the guest's shell restarts (it does when
        the host first connects); a retry runs it on a fresh connection.
        """
        guests = self._guests()
        guest = guests.find(instance)
        for _ in range(attempts - 1):
            try:
                return guests.shell(guest, command, timeout=15)
            except exceptions.CommandFailed as exc:
                LOG.warning("%s: no answer to %r, asking again: %s", instance, command, exc)
        return guests.shell(guest, command, timeout=15)

    def assign(self, instance: str, cidr: str) -> None:
        status, out = self._shell(instance, f"ip addr replace {cidr} dev eth0")
        if status != 0:
            raise RuntimeError(f"{instance}: ip addr replace {cidr} failed: {out}")

    def console(self, instance: str) -> list[str]:
        guests = self._guests()
        return guests.console(guests.find(instance))

    def close(self) -> None:
        """Stop libvirtd and any QEMU it left; the domains are transient."""
        if self.guests is not None and self.daemon is not None and self.daemon.running():
            for name in self.guests.names():
                self.guests.destroy(name)
        self.guests = None
        if self.daemon is not None:
            self.daemon.stop()
            self.daemon = None


def choose(real: bool) -> Instances:
    return Guests() if real else StandIns()
