"""Where netservice's own programs are: beside the Python that runs us, never on PATH.

netservice starts its own console scripts (dnsmasq's ``--dhcp-script`` is
``netservice-dhcpbridge``; the demo and the tests start ``netservice-api``).
Looking them up on ``PATH`` works only in a shell whose virtualenv is
activated, and fails under ``sudo`` (which resets ``PATH``), systemd and
cron.  pip installs console scripts into the scripts directory of the
environment it installs into, which is the directory of ``sys.executable``
for a virtualenv and ``sysconfig``'s ``scripts`` path otherwise, so those are
the only places looked at.
"""

from __future__ import annotations

import os
import sys
import sysconfig

from netservice.core import exceptions


def candidates(name: str) -> list[str]:
    """The absolute paths where the console script ``name`` may be, in order."""
    dirs = [os.path.dirname(os.path.abspath(sys.executable)), sysconfig.get_path("scripts")]
    try:
        dirs.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    except KeyError:  # pragma: no cover - a platform without a user scheme
        pass
    seen: list[str] = []
    for directory in dirs:
        path = os.path.join(directory, name)
        if directory and path not in seen:
            seen.append(path)
    return seen


def script(name: str) -> str:
    """The absolute path of netservice's console script ``name``.

    Raises ConfigurationError naming every path looked at when it is not
    installed in this Python's environment.
    """
    paths = candidates(name)
    for path in paths:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise exceptions.ConfigurationError(
        reason=f"{name} is not installed beside {sys.executable}: looked for "
        f"{' and '.join(paths)} (install the distribution that provides it into this "
        "environment)"
    )
