"""The ``newc`` cpio format the Linux kernel unpacks as an initramfs.

Pure: builds bytes in memory.  The kernel unpacks concatenated archives in
order, so a per-guest archive appended to the shared image overrides or adds
files (the injected ``/etc/network/interfaces``) without rebuilding it.
"""

from __future__ import annotations

import dataclasses
import stat

_TRAILER = "TRAILER!!!"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One archive member: ``data`` is a file's bytes or a symlink's target."""

    path: str
    mode: int
    data: bytes = b""


def directory(path: str) -> Entry:
    return Entry(path, stat.S_IFDIR | 0o755)


def file(path: str, data: bytes, mode: int = 0o644) -> Entry:
    return Entry(path, stat.S_IFREG | mode, data)


def symlink(path: str, target: str) -> Entry:
    return Entry(path, stat.S_IFLNK | 0o777, target.encode())


def _pad(length: int) -> bytes:
    return b"\0" * (-length % 4)


def _member(ino: int, entry: Entry) -> bytes:
    name = entry.path.lstrip("/").encode() + b"\0"
    fields = [ino, entry.mode, 0, 0, 1, 0, len(entry.data), 0, 0, 0, 0, len(name), 0]
    header = b"070701" + b"".join(b"%08X" % value for value in fields)
    return header + name + _pad(len(header) + len(name)) + entry.data + _pad(len(entry.data))


def archive(entries: list[Entry]) -> bytes:
    """The archive of ``entries`` in order (parents before children), with its trailer."""
    out = [_member(ino, entry) for ino, entry in enumerate(entries, start=1)]
    out.append(_member(0, Entry(_TRAILER, 0)))
    return b"".join(out)
