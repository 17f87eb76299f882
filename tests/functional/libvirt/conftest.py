"""Real guests: a private libvirtd in the test's "host" namespace.

Off CI, the tier skips with one line when it is not root or libvirt, QEMU,
the kernel or busybox-static is missing; with CI=true it fails instead.
Libvirt refusing a domain is always a failure.
"""

from __future__ import annotations

import grp
import pwd
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netservice.linux import exceptions, guestimage
from netservice.linux.libvirtd import SYSTEM_USER, Libvirtd
from tests.functional.conftest import ON_CI

PROGRAMS = ("libvirtd", "virsh", "qemu-system-x86_64", "busybox", "virt-xml-validate", "xmllint")


def _kernel_and_user() -> str | None:
    try:
        guestimage.kernel_version()
    except exceptions.BinaryNotFound:
        return "no kernel with modules in /boot (install linux-image-amd64)"
    try:
        pwd.getpwnam(SYSTEM_USER)
        grp.getgrnam(SYSTEM_USER)
    except KeyError:
        return f"no {SYSTEM_USER} user and group (see .ci/run)"
    return None


@pytest.fixture(scope="session")
def libvirt_cache(tmp_path_factory) -> Path:
    """One /var/cache/libvirt for the tier: QEMU's capabilities are probed once."""
    return tmp_path_factory.mktemp("libvirt-cache")


@pytest.fixture
def libvirt_host(need) -> None:
    """Skip (fail on CI) unless libvirt, QEMU, the kernel and busybox are here."""
    need(*PROGRAMS)
    reason = _kernel_and_user()
    if reason:
        if ON_CI:
            pytest.fail(f"{reason} (CI=true: functional tests must not skip)")
        pytest.skip(reason)


@pytest.fixture
def libvirtd(
    libvirt_host: None, state_dir: Path, libvirt_cache: Path
) -> Iterator[Callable[[str], Libvirtd]]:
    """``libvirtd(host_ns)``: a started private daemon, stopped (with its QEMUs) at teardown."""
    started: list[Libvirtd] = []

    def start(namespace: str) -> Libvirtd:
        daemon = Libvirtd(state_dir / f"libvirt-{len(started)}", namespace, libvirt_cache)
        started.append(daemon)
        daemon.start()
        return daemon

    yield start
    for daemon in started:
        daemon.stop()
