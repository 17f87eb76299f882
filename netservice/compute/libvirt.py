"""The libvirt ``<interface>`` element of one VNIC."""

from __future__ import annotations

import html

_IFNAMSIZ = 15


def port_name(vnic_id: str) -> str:
    """The VNIC's host end (its ``<target dev>``): ``tap`` and the first 11 hex digits of its id.

    Named by the agent, so its anti-spoofing rules know which bridge port to
    filter before the hypervisor creates it.
    """
    return ("tap" + vnic_id.replace("-", ""))[: _IFNAMSIZ - 1]


def _attr(value: str) -> str:
    return html.escape(value, quote=True)  # escapes both ' and "


def interface_xml(
    mac: str,
    bridge: str,
    *,
    filter_name: str | None = None,
    model: str = "virtio",
    target_dev: str | None = None,
) -> str:
    """``<interface type='bridge'><mac/><source bridge/><target dev/><model/><filterref/>``.

    Single-quoted, as nova wrote it; every value is escaped.  ``target_dev``
    names the host end of the VNIC, so the agent's per-VNIC firewall rules
    know which bridge port to filter.  Pure.
    """
    parts = [
        "<interface type='bridge'>",
        f"<mac address='{_attr(mac)}'/>",
        f"<source bridge='{_attr(bridge)}'/>",
    ]
    if target_dev:
        parts.append(f"<target dev='{_attr(target_dev)}'/>")
    parts.append(f"<model type='{_attr(model)}'/>")
    if filter_name:
        parts.append(f"<filterref filter='{_attr(filter_name)}'/>")
    parts.append("</interface>")
    return "".join(parts)
