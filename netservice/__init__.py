"""netservice: pluggable Flat, FlatDHCP and VLAN network services."""

from importlib import metadata

try:
    __version__ = metadata.version("netservice")
except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
    __version__ = "0+unknown"
