"""The network host's drivers: a missing program is one clear error before any pass."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netservice.dhcp.dataplane import HostDataPlane
from netservice.linux import exceptions, process


def test_a_missing_program_names_itself_and_its_package(monkeypatch):
    real = process.shutil.which
    monkeypatch.setattr(
        process.shutil, "which", lambda name, **kw: None if name == "nft" else real("sh")
    )
    linux = SimpleNamespace(dry_run=False, namespace="")
    with pytest.raises(exceptions.BinaryNotFound, match=r"^nft not found .*'nftables'$"):
        HostDataPlane.from_config(linux, service="flat_dhcp", state_path="/nonexistent",
                                  config_files=[])  # fmt: skip
