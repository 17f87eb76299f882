"""The Linux drivers one network host uses, built from ``[linux]``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from netservice.core import programs
from netservice.linux import factory
from netservice.linux.dnsmasq import Dnsmasq
from netservice.linux.firewall import Firewall
from netservice.linux.links import Links

DHCP_SCRIPT = "netservice-dhcpbridge"


def dhcp_script() -> str:
    """The absolute path of ``netservice-dhcpbridge``, beside this Python (never PATH).

    dnsmasq runs it from ``/`` with its own environment, so it must be a
    path we derived, not a name.  Raises ConfigurationError naming the paths
    looked at.
    """
    return programs.script(DHCP_SCRIPT)


@dataclasses.dataclass
class HostDataPlane:
    """Links, dnsmasq and the firewall of one host (``[linux] namespace``)."""

    links: Links
    dhcp: Dnsmasq
    firewall: Firewall

    @classmethod
    def from_config(
        cls,
        linux: Any,
        *,
        service: str,
        state_path: str,
        config_files: Sequence[str],
    ) -> HostDataPlane:
        """Real drivers, or their dry-run twins under ``[linux] dry_run``."""
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
