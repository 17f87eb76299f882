"""Stopping a daemon on a signal, safely.

A Python signal handler runs between two bytecodes of the main thread, which
may be in the middle of writing a log line: a handler that logs then writes
to the same stream again, fails with a reentrant call, and never sets its
flag, so the daemon ignores the signal.  The handler here only sets a flag
and remembers the signal; the daemon logs once it sees the flag.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType


class StopRequest(threading.Event):
    """Set by the first stop signal; remembers which one."""

    signal_name = ""


def stopping_on(*signums: signal.Signals) -> StopRequest:
    """A StopRequest set by any of ``signums``.

    The handler only sets a flag: it runs between two bytecodes of the main
    thread, which may be in the middle of writing a log line, and a second
    write to the same stream from the handler would fail (a reentrant call)
    before the flag was set.  The server logs the stop when it sees the flag.
    A child forked without exec (a library's helper) inherits the handler; it
    must die of the signal as usual instead of setting a flag nobody reads.
    """
    stopping = StopRequest()
    main_pid = os.getpid()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if not stopping.is_set():
            stopping.signal_name = signal.Signals(signum).name
            stopping.set()

    for signum in signums:
        signal.signal(signum, _stop)
    return stopping
