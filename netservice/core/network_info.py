"""The shape of ``NetAgent.get_network_info``: one flat mapping per VNIC."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from netservice.core import exceptions


class NetworkInfo(TypedDict):
    """What compute learns about one VNIC.  A field that does not apply is None.

    ``bridge`` is the host bridge the VNIC plugs into (its network's), None
    for a plugin that plugs VNICs into no bridge.
    """

    cidr: str | None
    cidr_v6: str | None
    netmask: str | None
    netmask_v6: str | None
    gateway: str | None
    gateway_v6: str | None
    dhcp_server: str | None
    broadcast: str | None
    dns: list[str]
    ra_server: str | None
    mac_address: str
    ip_address: str | None
    address_v6: str | None
    bridge: str | None


NETWORK_INFO_KEYS: frozenset[str] = frozenset(NetworkInfo.__annotations__)


def check_network_info(plugin: str, info: Mapping[str, object]) -> NetworkInfo:
    """Check a plugin's answer has exactly the contract's keys.

    Raises PluginFailure naming the missing and unexpected keys, so a plugin
    bug surfaces at the boundary rather than in compute.
    """
    keys = set(info)
    if keys != NETWORK_INFO_KEYS:
        missing = sorted(NETWORK_INFO_KEYS - keys)
        extra = sorted(keys - NETWORK_INFO_KEYS)
        raise exceptions.PluginFailure(
            plugin=plugin,
            reason="get_network_info returned the wrong keys "
            f"(missing {missing}, unexpected {extra})",
        )
    return info  # type: ignore[return-value]
