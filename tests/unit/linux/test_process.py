from __future__ import annotations

import io

import pytest

from netservice.linux import exceptions, process


def test_missing_binary_names_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(process.shutil, "which", lambda *a, **k: None)
    with pytest.raises(exceptions.BinaryNotFound, match="install the Debian package 'nftables'"):
        process.Runner().run(["nft", "list", "ruleset"])


def test_run_returns_output_and_raises_on_failure():
    result = process.Runner().run(["sh", "-c", "echo out; echo err >&2"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "out\n", "err\n")
    assert process.Runner().run(["sh", "-c", "exit 1"], ok_codes=(0, 1)).returncode == 1
    with pytest.raises(exceptions.CommandFailed, match="exited with status 3: boom"):
        process.Runner().run(["sh", "-c", "echo boom >&2; exit 3"])


def test_namespace_prefix():
    argv = process.Runner("ns1").argv(["sh", "-c", "true"])
    assert argv[1:4] == ["netns", "exec", "ns1"] and argv[4].endswith("/sh")


def test_dry_run_prints_instead_of_running():
    out = io.StringIO()
    runner = process.DryRunRunner("sandbox", out=out)
    assert runner.run(["nft", "-f", "-"], stdin="add table ip t\n").returncode == 0
    runner.spawn(["arping", "-U", "1.2.3.4"])
    assert out.getvalue() == (
        "exec: ip netns exec sandbox nft -f - <<EOF\nadd table ip t\nEOF\n"
        "exec: ip netns exec sandbox arping -U 1.2.3.4 &\n"
    )


def test_require_checks_each_program_in_turn(monkeypatch):
    monkeypatch.setattr(process.shutil, "which", lambda name, **kw: None if name == "ip" else "/x")
    process.require("dnsmasq", "nft")
    with pytest.raises(exceptions.BinaryNotFound) as caught:
        process.require("dnsmasq", "ip", "nft")
    assert str(caught.value) == (
        f"ip not found (looked in PATH and {process.SYSTEM_PATH}): "
        "install the Debian package 'iproute2'"
    )
