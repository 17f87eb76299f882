"""dnsmasq's ``--dhcp-script`` calls, read as neutral lease events.

dnsmasq runs its script as ``<script> add|old|del <mac> <ip> [hostname]``
and, with ``--leasefile-ro``, ``<script> init`` at start-up, expecting the
leases back in its lease-file format.  This module is the only place that
knows those formats; ``netservice-dhcpbridge`` turns the events into the
core's neutral ones (``netservice.dhcp.leases``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence


@dataclasses.dataclass(frozen=True)
class ScriptEvent:
    """One call of dnsmasq's ``--dhcp-script``, as a neutral lease event.

    ``kind`` is ``lease`` (dnsmasq's ``add`` and ``old``: granted or
    renewed), ``release`` (``del``) or ``leases`` (``init``: with
    ``--leasefile-ro`` dnsmasq asks for its leases at start-up, and reads
    them back in its lease-file format, ``lease_file_line``).
    """

    kind: str
    mac: str = ""
    ip: str = ""
    hostname: str | None = None


_SCRIPT_ACTIONS = {"add": "lease", "old": "lease", "del": "release", "init": "leases"}


def script_event(args: Sequence[str]) -> ScriptEvent | None:
    """``add|old|del <mac> <ip> [hostname]`` or ``init``; None for anything else."""
    kind = _SCRIPT_ACTIONS.get(args[0]) if args else None
    if kind is None:
        return None
    if kind == "leases":
        return ScriptEvent(kind)
    if len(args) < 3:
        return None
    return ScriptEvent(kind, args[1].lower(), args[2], args[3] if len(args) > 3 else None)


def lease_file_line(expiry: int, mac: str, ip: str, hostname: str | None) -> str:
    """``<expiry> <mac> <ip> <hostname|*> *``: one lease in dnsmasq's lease-file format."""
    return f"{expiry} {mac} {ip} {hostname or '*'} *"
