"""``netservice-standin``: a stand-in instance plugged into a bridge, for demos and tests.

    netservice-standin [--config-file F] up INSTANCE (--xml FILE | --mac MAC --bridge BR) [--dhcp]
    netservice-standin [--config-file F] down INSTANCE

``up`` makes namespace INSTANCE with one veth per ``<interface>`` of the libvirt
XML (as ``eth0``, ``eth1``, ...), their host ends on the bridges in
``[linux] namespace``, and with ``--dhcp`` runs udhcpc on each and prints
what it got.  ``down`` removes it.  Both are idempotent.  Needs root.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from oslo_config import cfg

from netservice.compute.libvirt import interface_xml
from netservice.core import config, exceptions


def _add_parsers(subparsers: Any) -> None:
    up = subparsers.add_parser("up", help="create (or keep) a stand-in instance")
    up.add_argument("instance", help="the namespace of the stand-in")
    up.add_argument("--xml", help="a file holding the domain's <interface> XML, or - for stdin")
    up.add_argument("--mac")
    up.add_argument("--bridge")
    up.add_argument("--dhcp", action="store_true", help="run udhcpc on every NIC")
    down = subparsers.add_parser("down", help="remove a stand-in instance")
    down.add_argument("instance")


COMMAND = cfg.SubCommandOpt("command", title="commands", handler=_add_parsers)


def _xml(args: Any) -> str:
    if args.xml == "-":
        return sys.stdin.read()
    if args.xml:
        with open(args.xml, encoding="utf-8") as handle:
            return handle.read()
    if args.mac and args.bridge:
        return interface_xml(args.mac, args.bridge)
    raise exceptions.InvalidInput(field="xml", reason="give --xml, or --mac and --bridge")


def main(argv: Sequence[str] | None = None) -> int:
    from netservice.linux import factory  # noqa: PLC0415
    from netservice.linux.standin import StandIns  # noqa: PLC0415

    try:
        conf = config.load(
            sys.argv[1:] if argv is None else argv, prog="netservice-standin", cli_opts=[COMMAND]
        )
        linux = conf.linux
        host = factory.links(linux)
        harness = StandIns(
            host,
            lambda ns: factory.links(linux, namespace=ns),
            lambda ns: factory.runner(linux, namespace=ns),
        )
        args = conf.command
        if args.name == "down":
            harness.destroy(args.instance)
            print(f"{args.instance}: removed")
            return 0
        standin = harness.create(args.instance, _xml(args))
        for position, vnic in enumerate(standin.vnics):
            line = f"{args.instance} eth{position} {vnic.mac} on {vnic.bridge}"
            if args.dhcp:
                lease = harness.dhcp(standin, position)
                line += f": {lease.ip}/{lease.prefixlen} via {lease.router or '-'}"
            print(line)
    except (exceptions.NetserviceError, cfg.Error, OSError) as err:
        print(f"netservice-standin: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
