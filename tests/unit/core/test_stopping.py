"""stopping_on: the handler only sets a flag; a forked child still dies of the signal."""

from __future__ import annotations

import os
import signal

from netservice.core.stopping import stopping_on


def test_the_first_signal_sets_the_flag_and_names_itself():
    previous = signal.getsignal(signal.SIGUSR1), signal.getsignal(signal.SIGUSR2)
    try:
        stopping = stopping_on(signal.SIGUSR1, signal.SIGUSR2)
        assert not stopping.is_set()
        os.kill(os.getpid(), signal.SIGUSR2)
        assert stopping.wait(5)
        os.kill(os.getpid(), signal.SIGUSR1)
        assert stopping.signal_name == "SIGUSR2"
    finally:
        signal.signal(signal.SIGUSR1, previous[0])
        signal.signal(signal.SIGUSR2, previous[1])


def test_a_forked_child_dies_of_the_signal_instead_of_setting_a_flag():
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        stopping = stopping_on(signal.SIGUSR1)
        pid = os.fork()
        if pid == 0:  # the child: a library's helper forked without exec
            os.kill(os.getpid(), signal.SIGUSR1)
            os._exit(0)  # reached only if the signal was swallowed
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGUSR1
        assert not stopping.is_set()
    finally:
        signal.signal(signal.SIGUSR1, previous)
