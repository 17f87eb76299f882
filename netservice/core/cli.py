"""What every console script's ``main`` shares: a closed output pipe is not an error.

``netservice-flat-manage network list | head`` closes the pipe under the
tool; Python would then print a ``BrokenPipeError`` traceback, once from the
print and again at exit when it flushes stdout.  The tool stops writing
instead, quietly, as the programs in a shell pipeline do.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from typing import ParamSpec

P = ParamSpec("P")

# What a shell reports for a program killed by SIGPIPE (128 + 13).
CLOSED_PIPE_STATUS = 141


def _discard_stdout() -> None:
    """Make file descriptor 1 a sink: /dev/null, or an unlinked temporary file where
    /dev/null cannot be opened for writing (it happens in some sandboxes)."""
    try:
        sink = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        sink = os.dup(tempfile.TemporaryFile().fileno())
    os.dup2(sink, sys.stdout.fileno())
    os.close(sink)


def closed_pipe_is_quiet(main: Callable[P, int]) -> Callable[P, int]:
    """Wrap a console script's ``main``: a closed stdout ends it quietly, status 141."""

    @functools.wraps(main)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            status = main(*args, **kwargs)
            sys.stdout.flush()
        except BrokenPipeError:
            # Point stdout somewhere writable so the flush at exit does not fail again.
            _discard_stdout()
            return CLOSED_PIPE_STATUS
        return status

    return wrapper
