"""The host side of a guest's control shell, against a fake guest on a socketpair."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from netservice.linux import exceptions, guests


def _guest_that_drops(peer: socket.socket, dropped: int) -> None:
    """Answer each hello line but the first ``dropped`` (sent while no shell was open)."""
    seen = 0
    buffer = b""
    while True:
        chunk = peer.recv(4096)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            seen += 1
            if seen > dropped:
                assert line == b"echo __nets''ervice_sync__"  # the marker is split
                peer.sendall(b"__netservice_sync__\n")


def test_sync_says_hello_until_a_shell_answers():
    host, peer = socket.socketpair()
    fake = threading.Thread(target=_guest_that_drops, args=(peer, 2), daemon=True)
    fake.start()
    started = time.monotonic()
    guests._sync(host, time.monotonic() + 10, every=0.05)
    assert time.monotonic() - started < 5
    host.close()
    fake.join(timeout=5)
    peer.close()


def test_sync_gives_up_at_the_deadline():
    host, peer = socket.socketpair()
    with pytest.raises(exceptions.CommandFailed, match="connect to the guest's shell"):
        guests._sync(host, time.monotonic() + 0.3, every=0.05)
    host.close()
    peer.close()
