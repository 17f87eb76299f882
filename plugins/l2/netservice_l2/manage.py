"""``netservice-l2-manage``: l2 networks from the command line.

    netservice-l2-manage [--config-file F] network create --label L [--kind bridge|vlan|vxlan]
                         [--bridge BR] [--segment N] [--interface IF] [--project P]
    netservice-l2-manage network list
    netservice-l2-manage network delete --uuid U

The same service layer as the REST API, on ``[database] connection``
(``netservice.networks.manage.tool.Tool``).  Errors print one line to
stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from netservice.networks.manage.tool import Tool

from netservice_l2 import opts
from netservice_l2.models import KINDS
from netservice_l2.plugin import BRANCH, L2Plugin

FMT = "%-36s\t%-16s\t%-6s\t%-15s\t%-8s\t%-15s\t%s"


def _parsers(subparsers: Any) -> None:
    network = subparsers.add_parser("network", help="l2 networks")
    network.set_defaults(name="network")
    actions = network.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create an l2 network")
    create.add_argument("--label", required=True)
    create.add_argument("--kind", choices=KINDS, default="bridge")
    create.add_argument("--bridge")
    create.add_argument("--segment", type=int, help="the VLAN id or the VNI")
    create.add_argument("--interface", help="the VLAN's or VXLAN's underlay interface")
    create.add_argument("--project", help="the project it belongs to (default: shared)")
    actions.add_parser("list", help="list l2 networks")
    delete = actions.add_parser("delete", help="delete an l2 network with no VNICs")
    delete.add_argument("--uuid", required=True)


def _create(args: Any, plugin: L2Plugin, _prog: str) -> None:
    row = plugin.networks.create(
        label=args.label, kind=args.kind, bridge=args.bridge, segment=args.segment,
        interface=args.interface, project_id=args.project,
    )  # fmt: skip
    print(row.id)


def _list(_args: Any, plugin: L2Plugin, _prog: str) -> None:
    print(FMT % ("uuid", "label", "kind", "bridge", "segment", "interface", "project"))
    for n in plugin.networks.list(None):
        print(FMT % (n.id, n.label, n.kind, n.bridge, n.segment if n.segment is not None else "-",
                     n.interface or "-", n.project_id or "-"))  # fmt: skip


def _delete(args: Any, plugin: L2Plugin, _prog: str) -> None:
    plugin.networks.delete(args.uuid)


TOOL = Tool(
    prog="netservice-l2-manage",
    group=opts.GROUP,
    options=opts.L2_OPTS,
    branch=BRANCH,
    plugin=L2Plugin,
    add_parsers=_parsers,
    handlers={"network create": _create, "network list": _list, "network delete": _delete},
    addressed=False,
)


def main(argv: Sequence[str] | None = None) -> int:
    return TOOL.main(argv)


if __name__ == "__main__":
    sys.exit(main())
