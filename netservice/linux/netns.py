"""The daemon's own network namespace, named so a process in another can come back.

dnsmasq runs in a network's namespace, and so does the
``netservice-dhcpbridge`` it runs on each lease; that script must reach the
database, which may listen on the host's loopback.  Before starting a
dnsmasq in a namespace, the driver names the namespace the daemon itself
runs in (``ip netns attach netservice-host <pid>``: a bind mount under
/run/netns that outlives the daemon) and tells the script where it is; the
script, short-lived and single-threaded, joins it before opening the
database.  The long-lived daemons never switch namespace (see netlink.py).
"""

from __future__ import annotations

import logging
import os

from pyroute2 import netns

from netservice.linux import process

LOG = logging.getLogger(__name__)

HOST_NETNS_ENV = "NETSERVICE_HOST_NETNS"
HOST_NETNS_NAME = "netservice-host"
HOST_NETNS = f"/run/netns/{HOST_NETNS_NAME}"


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def name_this_namespace(runner: process.Runner | None = None) -> str:
    """Make ``/run/netns/netservice-host`` this process's namespace; returns the path.

    Idempotent.  Raises CommandFailed when iproute2 refuses (not root).
    """
    here = _inode("/proc/self/ns/net")
    if _inode(HOST_NETNS) == here:
        return HOST_NETNS
    run = runner or process.Runner()
    if _inode(HOST_NETNS) is not None:
        run.run(["ip", "netns", "delete", HOST_NETNS_NAME])
    run.run(["ip", "netns", "attach", HOST_NETNS_NAME, str(os.getpid())])
    LOG.info("named this network namespace %s", HOST_NETNS_NAME)
    return HOST_NETNS


def leave_for_host() -> bool:
    """Join the namespace named by ``NETSERVICE_HOST_NETNS``, if set; returns whether it did.

    Raises OSError when it cannot be joined (not root, or gone).
    """
    target = os.environ.get(HOST_NETNS_ENV)
    if not target or _inode("/proc/self/ns/net") == _inode(target):
        return False
    netns.setns(target, flags=0)
    LOG.debug("joined network namespace %s", target)
    return True
