"""Real instances: libvirt domains around the net agent's ``<interface>`` documents.

The libvirt twin of ``standin.StandIns``.  ``LibvirtGuests.create`` writes a
transient domain (QEMU, direct kernel boot of the guest image from
``guestimage``) whose ``<devices>`` hold exactly the agent's interfaces, in
order, and starts it through ``virsh``.  An injected
``/etc/network/interfaces`` reaches the guest as nova put it into the image:
a small cpio appended to the shared initramfs, which the kernel unpacks over
it.  The guest reports on its console (a file) and serves a shell on a
virtio-serial port (a unix socket); ``destroy`` stops the domain, and being
transient it is then gone, taps and all.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re
import shutil
import socket
import time
from collections.abc import Sequence
from pathlib import Path

from defusedxml import ElementTree

from netservice.core.exceptions import InvalidInput
from netservice.linux import exceptions, guestimage, process
from netservice.linux.standin import Vnic, parse_interfaces

LOG = logging.getLogger(__name__)

REPORT = "netservice-guest: "
_START = "__netservice_start__"
_END = "__netservice_done__"
_SYNC = "__netservice_sync__"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


@dataclasses.dataclass(frozen=True)
class Guest:
    name: str
    vnics: tuple[Vnic, ...]
    console: Path
    control: Path


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def domain_xml(
    name: str,
    image: guestimage.GuestImage,
    initrd: Path,
    interfaces: Sequence[str],
    *,
    console: Path,
    control: Path,
    memory_mib: int = 160,
) -> str:
    """The domain, with each of ``interfaces`` copied in verbatim.  Pure.

    Raises InvalidInput when a document is not one ``<interface>`` element.
    """
    for document in interfaces:
        try:
            root = ElementTree.fromstring(document)
        except ElementTree.ParseError as exc:
            raise InvalidInput(field="interface", reason=f"not well-formed: {exc}") from exc
        if root.tag != "interface":
            raise InvalidInput(field="interface", reason=f"<{root.tag}> is not <interface>")
    cmdline = f"{image.cmdline} netservice.name={name}"
    return "".join(
        [
            "<domain type='qemu'>",
            f"<name>{_attr(name)}</name>",
            f"<memory unit='MiB'>{int(memory_mib)}</memory><vcpu>1</vcpu>",
            "<os><type arch='x86_64' machine='pc'>hvm</type>",
            f"<kernel>{_attr(str(image.kernel))}</kernel>",
            f"<initrd>{_attr(str(initrd))}</initrd>",
            f"<cmdline>{_attr(cmdline)}</cmdline></os>",
            "<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot>",
            "<on_crash>destroy</on_crash>",
            "<devices>",
            *interfaces,
            f"<serial type='file'><source path='{_attr(str(console))}'/>",
            "<target port='0'/></serial>",
            f"<channel type='unix'><source mode='bind' path='{_attr(str(control))}'/>",
            "<target type='virtio' name='netservice.control'/></channel>",
            "<memballoon model='none'/>",
            "</devices></domain>",
        ]
    )


class LibvirtGuests:
    """Creates, watches and removes guests on the libvirtd at ``uri``.

    ``state`` holds each guest's files (``<state>/<name>/``); ``image`` is
    the shared kernel and initramfs.
    """

    def __init__(
        self,
        uri: str,
        state: Path,
        image: guestimage.GuestImage,
        runner: process.Runner | None = None,
        memory_mib: int = 160,
    ) -> None:
        self.uri = uri
        self.state = Path(state)
        self.image = image
        self.runner = runner or process.Runner()
        self.memory_mib = memory_mib
        self._sockets: dict[str, socket.socket] = {}

    def _virsh(self, *args: str, ok_codes: Sequence[int] = (0,)) -> process.Result:
        return self.runner.run(["virsh", "-q", "-c", self.uri, *args], ok_codes=ok_codes)

    def _files(self, name: str) -> tuple[Path, Path, Path]:
        if not _NAME.fullmatch(name):
            raise InvalidInput(field="instance", reason="must match [A-Za-z0-9_.-]{1,64}")
        folder = self.state / name
        return folder, folder / "console.log", folder / "control.sock"

    def create(self, name: str, interfaces: Sequence[str], injected: str | None) -> Guest:
        """Start domain ``name``.  A running one is destroyed first (so: repeatable).

        Raises InvalidInput for bad XML, CommandFailed when libvirt refuses
        the domain (its message says why, e.g. a missing nwfilter).
        """
        vnics = tuple(parse_interfaces("<devices>" + "".join(interfaces) + "</devices>"))
        self.destroy(name)
        folder, console, control = self._files(name)
        folder.mkdir(parents=True, exist_ok=True)
        initrd = self.image.initrd
        if injected is not None:
            initrd = folder / "initrd.gz"
            extra = guestimage.injection_archive({"/etc/network/interfaces": injected})
            base = self.image.initrd.read_bytes()
            # The kernel looks for an appended archive on a 4-byte boundary
            # and skips the zeros before it.
            initrd.write_bytes(base + b"\0" * (-len(base) % 4) + extra)
        xml = domain_xml(
            name,
            self.image,
            initrd,
            interfaces,
            console=console,
            control=control,
            memory_mib=self.memory_mib,
        )
        (folder / "domain.xml").write_text(xml)
        self._virsh("create", str(folder / "domain.xml"))
        LOG.info("guest %s started with %d NIC(s)", name, len(vnics))
        return Guest(name, vnics, console, control)

    def find(self, name: str) -> Guest:
        """The guest ``create`` started as ``name`` (its files; NICs not listed)."""
        _, console, control = self._files(name)
        return Guest(name, (), console, control)

    def exists(self, name: str) -> bool:
        return name in self.names()

    def names(self) -> list[str]:
        return self._virsh("list", "--all", "--name").stdout.split()

    def console(self, guest: Guest) -> list[str]:
        """The guest's report lines so far, without the prefix."""
        if not guest.console.exists():
            return []
        text = guest.console.read_text(errors="replace")
        return [line.split(REPORT, 1)[1].rstrip() for line in text.splitlines() if REPORT in line]

    def wait_ready(self, guest: Guest, timeout: float = 120) -> list[str]:
        """Poll the console until the guest says ``ready``; returns its report.

        Raises CommandFailed with what it printed when it does not in time.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.console(guest)
            if any(line.startswith("ready") for line in lines):
                return lines
            time.sleep(0.25)
        raise exceptions.CommandFailed(
            cmd=f"boot {guest.name}", status="timeout", stderr=" | ".join(self.console(guest))
        )

    def shell(self, guest: Guest, command: str, timeout: float = 20) -> tuple[int, str]:
        """Run ``command`` in the guest's shell; returns (status, output).

        One connection per guest is kept open: the guest's shell ends when
        the host hangs up, and what is sent before it has restarted is lost.
        Raises CommandFailed when the guest does not answer within ``timeout``.
        """
        marker = _END.encode()
        data = b""
        deadline = time.monotonic() + timeout
        sock = self._control(guest, deadline)
        sock.settimeout(timeout)
        # Split in the command line, so an echo of it never holds a marker.
        sock.sendall(
            f"echo {_START[:6]}''{_START[6:]}; {command}; echo {_END[:6]}''{_END[6:]}$?\n".encode()
        )
        while not (marker in data and b"\n" in data.split(marker, 1)[1]):
            try:
                chunk = sock.recv(4096) if time.monotonic() < deadline else b""
            except TimeoutError:
                chunk = b""
            if not chunk:
                self._hang_up(guest.name)
                raise exceptions.CommandFailed(
                    cmd=command, status="timeout", stderr=data.decode(errors="replace")
                )
            data += chunk
        text = data.decode(errors="replace").replace("\r", "")
        text = text.split(_START + "\n", 1)[-1]
        output, _, status = text.partition(_END)
        code = status.split("\n", 1)[0].strip()
        return (int(code) if code.isdigit() else -1), output

    def _control(self, guest: Guest, deadline: float) -> socket.socket:
        sock = self._sockets.get(guest.name)
        if sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(guest.control))
                _sync(sock, deadline)
            except BaseException:
                sock.close()
                raise
            self._sockets[guest.name] = sock
        return sock

    def _hang_up(self, name: str) -> None:
        sock = self._sockets.pop(name, None)
        if sock is not None:
            sock.close()

    def destroy(self, guest: Guest | str) -> None:
        """Stop the domain (transient, so it is gone) and remove its files.  Absent is fine."""
        name = guest if isinstance(guest, str) else guest.name
        self._hang_up(name)
        if self.exists(name):
            self._virsh("destroy", name)
        folder, _, _ = self._files(name)
        shutil.rmtree(folder, ignore_errors=True)


def _sync(sock: socket.socket, deadline: float, every: float = 0.5) -> None:
    """Say hello on a new connection until the guest's shell answers.

    Between two shells no one in the guest has the port open, and the kernel
    drops what arrives then (it does until the first shell sees the host
    connect), so a command sent blind may be lost.  Hellos that do reach a
    shell only print before the command's start marker.
    Raises CommandFailed when none is answered by ``deadline``.
    """
    hello = f"echo {_SYNC[:6]}''{_SYNC[6:]}\n".encode()
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(every)
        try:
            sock.sendall(hello)
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        if not chunk:
            break
        data += chunk
        if _SYNC.encode() in data:
            return
    raise exceptions.CommandFailed(
        cmd="connect to the guest's shell", status="timeout", stderr=data.decode(errors="replace")
    )
