"""Fixtures for the data plane's functional tests: root, real tools, fresh namespaces.

Each test gets its own uniquely named namespaces, removed (with every
process inside) even when the test fails.  Off CI, a test skips with a
one-line reason when it is not root or a tool is missing; with CI=true it
fails instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netservice.core import programs
from netservice.linux import process, testing
from netservice.linux.links import Links
from netservice.linux.standin import StandIns

ON_CI = os.environ.get("CI", "").lower() == "true"


def _installed(binary: str) -> bool:
    """netservice's own programs are looked for beside sys.executable, never on PATH."""
    if binary.startswith("netservice-"):
        return any(os.access(path, os.X_OK) for path in programs.candidates(binary))
    return process.which_or_none(binary) is not None


def _need(*binaries: str) -> None:
    reason = None
    if os.geteuid() != 0:
        reason = "needs root"
    else:
        missing = [b for b in binaries if not _installed(b)]
        if missing:
            reason = f"{', '.join(missing)} not installed"
    if reason is None:
        return
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: functional tests must not skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _root_and_ip() -> None:
    _need("ip")


@pytest.fixture
def need() -> Callable[..., None]:
    """``need("dnsmasq", ...)``: skip (fail on CI) unless every tool is installed."""
    return _need


@pytest.fixture
def netns() -> Iterator[testing.Namespaces]:
    """``netns("host")`` creates a fresh namespace and returns its unique name."""
    with testing.Namespaces() as namespaces:
        yield namespaces


@pytest.fixture
def links_in() -> Iterator[Callable[[str], Links]]:
    """``links_in(ns)``: a real ``Links`` for ``ns``, closed at teardown."""
    from netservice.linux.netlink import PyRoute2Backend

    opened: list[Links] = []

    def make(ns: str) -> Links:
        links = Links(PyRoute2Backend(ns), PyRoute2Backend)
        opened.append(links)
        return links

    yield make
    for links in opened:
        links.close()


@pytest.fixture
def standins(links_in: Callable[[str], Links]) -> Callable[[str], StandIns]:
    """``standins(host_ns)``: the stand-in harness plugging into ``host_ns``'s bridges."""

    def make(host_ns: str) -> StandIns:
        return StandIns(links_in(host_ns), links_in, process.Runner)

    return make


@pytest.fixture
def state_dir() -> Iterator[Path]:
    """A state directory dnsmasq can still read after dropping to "nobody"."""
    path = Path(tempfile.mkdtemp(prefix="netservice-ft-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def background() -> Iterator[Callable[[str, str], subprocess.Popen[str]]]:
    """``background(ns, code)``: a Python server in ``ns``, killed at teardown."""
    procs: list[subprocess.Popen[str]] = []

    def start(ns: str, code: str) -> subprocess.Popen[str]:
        proc = testing.start_in(ns, code)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()
