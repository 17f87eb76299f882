"""Checking XML against libvirt's RNG schemas with ``virt-xml-validate``.

``libvirt-clients`` ships the program, ``libvirt0`` the schemas and
``libxml2-utils`` the ``xmllint`` it runs.  A bare ``<interface>`` would be
checked as a *host* interface (``interface.rng``), so a domain's
``<interface>`` is checked inside a minimal domain (``domain.rng``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from netservice.linux import process

_DOMAIN = (
    "<domain type='qemu'><name>schema-check</name><memory>65536</memory>"
    "<os><type>hvm</type></os><devices>{devices}</devices></domain>"
)


def errors(document: str, schema: str) -> str | None:
    """None when ``document`` is valid against ``schema`` (``domain``, ``nwfilter``, ...).

    Otherwise the validator's message.  Raises BinaryNotFound when it is not installed.
    """
    process.require("virt-xml-validate", "xmllint")
    with tempfile.TemporaryDirectory(prefix="netservice-xml-") as tmp:
        path = Path(tmp) / "doc.xml"
        path.write_text(document)
        result = process.Runner().run(
            ["virt-xml-validate", str(path), schema], ok_codes=(0, 1, 2, 3, 4)
        )
    if result.returncode == 0:
        return None
    return (result.stderr or result.stdout).strip() or f"status {result.returncode}"


def interface_errors(interface: str) -> str | None:
    """``errors`` for one domain ``<interface>`` document, checked inside a domain."""
    return errors(_DOMAIN.format(devices=interface), "domain")
