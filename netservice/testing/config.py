"""A configuration for tests, around a service list written to a temp dir."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from oslo_config import cfg

from netservice.core import config


def write_config(
    directory: str,
    services: Sequence[str],
    *,
    default: str,
    connection: str | None = None,
    extra: Mapping[str, Mapping[str, object]] | None = None,
) -> str:
    """Write ``nova-network.conf`` and ``netservice.conf``; returns the latter's path."""
    os.makedirs(directory, exist_ok=True)
    service_list = os.path.join(directory, "nova-network.conf")
    with open(service_list, "w", encoding="utf-8") as handle:
        handle.write("# written by netservice.testing\n" + "".join(f"{s}\n" for s in services))
    sections: dict[str, dict[str, object]] = {
        "DEFAULT": {
            "network_service_conf": service_list,
            "default_network_service": default,
            "state_path": os.path.join(directory, "state"),
        },
        "api": {"bind_host": "127.0.0.1", "bind_port": 0},
    }
    if connection:
        sections["database"] = {"connection": connection}
    for group, values in (extra or {}).items():
        sections.setdefault(group, {}).update(values)
    path = os.path.join(directory, "netservice.conf")
    with open(path, "w", encoding="utf-8") as handle:
        for group, values in sections.items():
            handle.write(f"[{group}]\n")
            handle.writelines(f"{key} = {value}\n" for key, value in values.items())
    return path


def make_conf(config_file: str, *args: str) -> cfg.ConfigOpts:
    """A parsed ConfigOpts reading only ``config_file``."""
    return config.load(
        ["--config-file", config_file, *args], prog="netservice-test", default_config_files=[]
    )
