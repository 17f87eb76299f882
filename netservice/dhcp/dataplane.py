"""The Linux drivers one network host uses, built from ``[linux]``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from netservice.core import programs
from netservice.dhcp.driver import DhcpDriver
from netservice.dhcp.parts import FirewallDriver
from netservice.linux import factory, process
from netservice.linux.links import Links

DHCP_SCRIPT = "netservice-dhcpbridge"

# What the network host runs on every pass; dhcp_release, arping and
# conntrack are optional and warned about where they are used.
REQUIRED_PROGRAMS = ("dnsmasq", "nft")


def dhcp_script() -> str:
    """The absolute path of ``netservice-dhcpbridge``, beside this Python (never PATH).

    dnsmasq runs it from ``/`` with its own environment, so it must be a
    path we derived, not a name.  Raises ConfigurationError naming the paths
    looked at.
    """
    return programs.script(DHCP_SCRIPT)


@dataclasses.dataclass
class HostDataPlane:
    """Links, the DHCP driver (dnsmasq) and the firewall of one host (``[linux] namespace``)."""

    links: Links
    dhcp: DhcpDriver
    firewall: FirewallDriver

    @classmethod
    def from_config(
        cls,
        linux: Any,
        *,
        service: str,
        state_path: str,
        config_files: Sequence[str],
    ) -> HostDataPlane:
        """Real drivers, or their dry-run twins under ``[linux] dry_run``.

        Raises BinaryNotFound, naming the program and its Debian package,
        when a program every pass needs is missing: the pass then fails
        once, with that one line, instead of every network failing alike.
        """
        if not linux.dry_run:
            process.require(*REQUIRED_PROGRAMS, *(("ip",) if linux.namespace else ()))
        links = factory.links(linux)
        dhcp = factory.dhcp(
            linux,
            dhcp_script=dhcp_script(),
            service=service,
            state_path=state_path,
            config_files=config_files,
        )
        return cls(links, dhcp, factory.firewall_driver(linux, links))

    def close(self) -> None:
        self.links.close()
