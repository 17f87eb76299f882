"""The libvirt ``<interface>`` element of one VNIC."""

from __future__ import annotations

import html


def _attr(value: str) -> str:
    return html.escape(value, quote=True)  # escapes both ' and "


def interface_xml(
    mac: str, bridge: str, *, filter_name: str | None = None, model: str = "virtio"
) -> str:
    """``<interface type='bridge'><mac/><source bridge/><model/><filterref/></interface>``.

    Single-quoted, as nova wrote it; every value is escaped.  Pure.
    """
    parts = [
        "<interface type='bridge'>",
        f"<mac address='{_attr(mac)}'/>",
        f"<source bridge='{_attr(bridge)}'/>",
        f"<model type='{_attr(model)}'/>",
    ]
    if filter_name:
        parts.append(f"<filterref filter='{_attr(filter_name)}'/>")
    parts.append("</interface>")
    return "".join(parts)
