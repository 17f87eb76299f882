"""docs/flat.md, docs/flat_dhcp.md and docs/vlan.md run as written, in that
order, on one API started as ``make run`` starts it.

The API is ``netservice-api --config-file etc/netservice-dev.conf``, run from
a scratch copy of ``etc/`` that changes only what two runs on one machine
must not share: the state directory, the port and the sandbox namespace.
Each doc's ``console`` blocks (see ``walkthrough.py`` for the convention)
run in one bash session per doc, in a scrubbed environment, from that
scratch directory, with netservice's programs at their absolute paths; each
command must exit 0 and print the key lines the doc shows.  As root the data
plane is real (the sandbox namespace, bridges, dnsmasq, a stand-in
instance); without root the API runs dry and the ``root`` blocks are
skipped.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from netservice.core import programs
from netservice.linux import process, testing
from netservice.linux.netns import HOST_NETNS, HOST_NETNS_NAME
from netservice.linux.testing import poll
from tests.functional.conftest import ON_CI
from tests.functional.docs import walkthrough

REPO = Path(__file__).resolve().parents[3]
DOCS = ("flat.md", "flat_dhcp.md", "vlan.md")
ROOT = os.geteuid() == 0
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SCRIPT = re.compile(r"(?<![\w./-])(netservice-[a-z-]+)(?=\s|$)")
COMMAND_TIMEOUT = 60.0
OUTPUT_TIMEOUT = 20.0
DOC_PORT = "127.0.0.1:9797"
DOC_NAMESPACE = "netservice-sandbox"
STANDINS = ("vm1",)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    """A scratch copy of ``etc/`` and a ``.venv/bin`` pointing at this environment."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.namespace = f"nswt-{uuid.uuid4().hex[:6]}"
        (root / "etc").mkdir()
        shutil.copy(REPO / "etc" / "nova-network.conf", root / "etc" / "nova-network.conf")
        dev = configparser.ConfigParser(interpolation=None)
        dev.read(REPO / "etc" / "netservice-dev.conf")
        assert dev["DEFAULT"]["state_path"] == "../state"  # under the scratch directory
        dev["linux"]["namespace"] = self.namespace
        dev["api"]["bind_port"] = str(self.port)
        with open(root / "etc" / "netservice-dev.conf", "w", encoding="utf-8") as handle:
            dev.write(handle)
        scripts = Path(programs.script("netservice-api")).parent
        (root / ".venv").mkdir()
        (root / ".venv" / "bin").symlink_to(scripts)
        self.env = {"PATH": PATH, "HOME": str(root), "LANG": "C.UTF-8"}

    def adapt(self, text: str) -> str:
        """The command as written, with this run's port, namespace and program paths."""
        text = text.replace(DOC_PORT, f"127.0.0.1:{self.port}")
        text = text.replace(DOC_NAMESPACE, self.namespace)
        return SCRIPT.sub(lambda m: _script_or_word(m.group(1)), text)


def _script_or_word(word: str) -> str:
    try:
        return programs.script(word)
    except Exception:  # not one of ours (a namespace, a package name): as written
        return word


class Shell:
    """One bash session per doc, so the doc's variables carry from block to block."""

    def __init__(self, site: Site, name: str) -> None:
        self.site = site
        self.count = 0
        self.timings: list[tuple[float, str]] = []
        self.out = site.root / "out" / name
        self.out.mkdir(parents=True)
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=site.root,
            env=site.env,
            text=True,
        )
        # As root, sudo is a no-op (a sandbox may not even have it); without
        # root nothing that needs it is run.
        self._send('sudo() { "$@"; }' if ROOT else "sudo() { echo needs root >&2; return 1; }")

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def run(self, text: str) -> tuple[int, str, str]:
        """Run ``text`` in the session; its status, stdout and stderr."""
        self.count += 1
        base = self.out / str(self.count)
        started = time.monotonic()
        self._send(f"{{ {text}\n}} >{base}.out 2>{base}.err </dev/null; "
                   f"echo $? >{base}.tmp; mv {base}.tmp {base}.rc")  # fmt: skip
        rc = poll(lambda: _read(base.with_suffix(".rc")), timeout=COMMAND_TIMEOUT, interval=0.05)
        self.timings.append((time.monotonic() - started, text))
        return int(rc), _read(base.with_suffix(".out")), _read(base.with_suffix(".err"))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _need(*tools: str) -> None:
    missing = [tool for tool in tools if process.which_or_none(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed"
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: functional tests must not skip)")
    pytest.skip(reason)


@pytest.fixture
def site(state_dir: Path) -> Iterator[Site]:
    """The scratch directory is ``state_dir``: dnsmasq, dropped to "nobody", reads it."""
    tmp_path = state_dir
    _need("curl", "python3", "bash")
    if ROOT:
        _need("ip", "dnsmasq", "nft", "udhcpc", "ping")
    site = Site(tmp_path)
    host_named_before = os.path.exists(HOST_NETNS)
    log = open(tmp_path / "api.log", "w", encoding="utf-8")  # closed at teardown
    api = subprocess.Popen(
        [programs.script("netservice-api"), "--config-file", "etc/netservice-dev.conf"],
        cwd=tmp_path, env=site.env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        poll(lambda: _serves(site.port) or api.poll() is not None, timeout=60, interval=0.1)
        assert api.poll() is None, (tmp_path / "api.log").read_text()
        yield site
    finally:
        api.send_signal(signal.SIGTERM)
        try:
            api.wait(timeout=30)
        except subprocess.TimeoutExpired:
            api.kill()
            api.wait()
        log.close()
        if ROOT:
            for name in (*STANDINS, site.namespace):
                testing.kill_inside(name)
                subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
            if not host_named_before:  # the API named its own namespace: not ours to keep
                subprocess.run(
                    ["ip", "netns", "del", HOST_NETNS_NAME], capture_output=True, check=False
                )


def _serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an answer, even a fault, means it serves
    except OSError:
        return False


def test_every_shell_block_runs_or_says_why_not():
    for doc in DOCS:
        found = walkthrough.blocks(REPO / "docs" / doc)
        assert [b.where for b in found if walkthrough.unrun(b)] == [], (
            "shell blocks neither run (```console) nor marked <!-- walkthrough: skip (reason) -->"
        )
        assert [b.where for b in found if b.marker == "root" and b.language != "console"] == []
        assert any(b.language == "console" for b in found), f"{doc} has no walkthrough"


def test_the_walkthroughs_run_as_written_in_order_on_one_api(site):
    skipped: list[str] = []
    timings: list[tuple[float, str]] = []
    for doc in DOCS:
        shell = Shell(site, doc)
        try:
            for block in walkthrough.blocks(REPO / "docs" / doc):
                if block.language != "console" or block.marker == "skip":
                    continue
                if block.marker == "root" and not ROOT:
                    skipped.append(f"{block.where} ({block.reason})")
                    continue
                for command in block.commands():
                    _check(shell, site, doc, command)
        finally:
            shell.close()
            timings += shell.timings
    if not ROOT:
        assert skipped  # the stand-in at least is left out
        # docs/vlan.md's Limits: the dry run prints p1's VXLAN device, as it would make it.
        log = (site.root / "api.log").read_text(encoding="utf-8")
        made = re.findall(r"link add ifname=(vxlan\d+) kind=vxlan .*vxlan_id=(\d+)", log)
        assert ("vxlan201", "201") in made, [line for line in log.splitlines() if "vxlan" in line]
    print(f"{len(timings)} commands in {sum(t for t, _ in timings):.1f} s; the slowest:")
    for took, text in sorted(timings, reverse=True)[:5]:
        print(f"  {took:5.1f} s  {text[:100]}")
    if skipped:
        print("skipped without root:", *skipped, sep="\n  ")


def _check(shell: Shell, site: Site, doc: str, command: walkthrough.Command) -> None:
    where = f"docs/{doc}:{command.line}: {command.text}"
    text = site.adapt(command.text)

    def attempt() -> tuple[int, str, str, str | None]:
        rc, out, err = shell.run(text)
        return rc, out, err, walkthrough.Command.missing(command, out + err)

    rc, out, err, missing = attempt()
    if rc == 0 and missing is not None and command.rerunnable():
        # A read of what the data plane reports (a lease, a status) may lag.
        def again() -> tuple[int, str, str, str | None] | None:
            result = attempt()
            return result if result[0] != 0 or result[3] is None else None

        try:
            rc, out, err, missing = poll(again, timeout=OUTPUT_TIMEOUT, interval=0.5)
        except testing.PollTimeout:
            pass
    assert rc == 0, f"{where}\nexit {rc}\nstdout: {out}\nstderr: {err}"
    assert missing is None, f"{where}\nmissing: {missing!r}\nstdout: {out}\nstderr: {err}"


def test_the_convention_reads_commands_output_and_markers(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "<!-- walkthrough: skip (two hosts) -->\n```sh\nfoo\n```\n\n"
        "<!-- walkthrough: root (a namespace) -->\n```console\n"
        "$ one \\\n    --two\nid  name\n# a comment\n1   a-...\n$ X=$(curl -s $API)\n```\n"
        "```ini\n[x]\n```\n```sh\nbar\n```\n",
        encoding="utf-8",
    )
    skip, root, ini, bare = walkthrough.blocks(doc)
    assert (skip.marker, skip.reason, walkthrough.unrun(skip)) == ("skip", "two hosts", False)
    assert (root.marker, ini.language, walkthrough.unrun(ini), walkthrough.unrun(bare)) == (
        "root", "ini", False, True,
    )  # fmt: skip
    first, second = root.commands()
    assert (first.text, first.expected, first.line) == ("one --two", ["id  name", "1   a-..."], 8)
    assert first.missing("x\nid\tname\n1 a-42 more\n") is None
    assert first.missing("1 a-42\nid name\n") == "1   a-..."  # out of order
    assert not second.rerunnable() and walkthrough.Command("curl -s $API/x", 1).rerunnable()
    assert not walkthrough.Command("curl -s -X DELETE $API/x", 1).rerunnable()
