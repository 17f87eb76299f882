"""``netservice-dhcpbridge``: dnsmasq's ``--dhcp-script``.

dnsmasq calls it as ``add|old|del <mac> <ip> [hostname]`` on lease events
and as ``init`` at start-up (with ``--leasefile-ro``, to learn the current
leases).  ``netservice.linux.dnsmasq`` turns those into the neutral lease
events of ``netservice.core.dhcp`` and writes leases back in dnsmasq's
lease-file format; the plugin's handler sees neither.  The network it
serves comes from the environment the data plane starts dnsmasq with:

    NETSERVICE_SERVICE        the owning plugin's name
    NETSERVICE_NETWORK_ID     the plugin's network id
    NETSERVICE_CONFIG_FILES   the oslo config files, os.pathsep-separated

A lease event for an unknown MAC or an unallocated address is logged and
ignored (exit 0): dnsmasq only logs the status, and failing would not help.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

import netservice
from netservice.core import bootstrap, config, exceptions
from netservice.core.dhcp import DhcpLeaseHandler
from netservice.linux import dnsmasq_script, netns

LOG = logging.getLogger("netservice.dhcpbridge")

ENV_SERVICE = "NETSERVICE_SERVICE"
ENV_NETWORK = "NETSERVICE_NETWORK_ID"
ENV_CONFIG = "NETSERVICE_CONFIG_FILES"
USAGE = "usage: netservice-dhcpbridge add|old|del <mac> <ip> [hostname] | init"
HELP = f"""{USAGE}

dnsmasq's --dhcp-script for netservice's DHCP networks: it records each lease
(add, old) and release (del) of the network dnsmasq serves, and answers
init with the current leases.  dnsmasq runs it with these variables set:

  {ENV_SERVICE}        the owning plugin's name
  {ENV_NETWORK}    the plugin's network id
  {ENV_CONFIG}  the config files, separated by '{os.pathsep}'

options:
  -h, --help     show this help and exit
  --version      show the version and exit
"""


def _handler() -> tuple[DhcpLeaseHandler, str]:
    netns.leave_for_host()
    service = os.environ.get(ENV_SERVICE)
    network_id = os.environ.get(ENV_NETWORK)
    if not service or not network_id:
        raise exceptions.ConfigurationError(
            reason=f"{ENV_SERVICE} and {ENV_NETWORK} must be set by the process that runs dnsmasq"
        )
    argv: list[str] = []
    for path in filter(None, os.environ.get(ENV_CONFIG, "").split(os.pathsep)):
        argv += ["--config-file", path]
    conf = config.load(argv, prog="netservice-dhcpbridge", default_config_files=[])
    manager = bootstrap.open_services(conf)
    handler = manager.get(service).get_dhcp_lease_handler()
    if handler is None:
        raise exceptions.ConfigurationError(reason=f"network service '{service}' serves no DHCP")
    return handler, network_id


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.INFO, format="netservice-dhcpbridge: %(levelname)s %(message)s"
    )
    action = args[0] if args else ""
    if action in ("-h", "--help", "--version"):
        sys.stdout.write(f"{netservice.__version__}\n" if action == "--version" else HELP)
        return 0
    event = dnsmasq_script.script_event(args)
    if event is None:
        print(USAGE, file=sys.stderr)
        return 2
    # A failing init exits 1; a failing lease event is logged and exits 0,
    # since dnsmasq only logs the status and must go on sending events.
    failed = 1 if event.kind == "leases" else 0
    try:
        handler, network_id = _handler()
        if event.kind == "leases":
            for lease in handler.leases(network_id):
                print(
                    dnsmasq_script.lease_file_line(
                        lease.expiry, lease.mac, lease.ip, lease.hostname
                    )
                )
        elif event.kind == "release":
            handler.release(network_id, event.mac, event.ip)
        else:
            handler.lease(network_id, event.mac, event.ip, event.hostname)
    except exceptions.NetserviceError as err:
        LOG.error("%s %s: %s", action, " ".join(args[1:]), err)
        return failed
    except Exception:
        LOG.exception("%s %s failed", action, " ".join(args[1:]))
        return failed
    return 0


if __name__ == "__main__":
    sys.exit(main())
