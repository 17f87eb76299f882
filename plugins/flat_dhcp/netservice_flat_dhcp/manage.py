"""``netservice-flat-dhcp-manage``: nova-manage's network, fixed and floating commands.

    netservice-flat-dhcp-manage [--config-file F] network create [--label L] ...
    netservice-flat-dhcp-manage network list|delete|modify ...
    netservice-flat-dhcp-manage fixed list [--host H]
    netservice-flat-dhcp-manage fixed reserve|unreserve --address A
    netservice-flat-dhcp-manage floating create --ip_range R [--pool P] [--interface I]
    netservice-flat-dhcp-manage floating list [--host H]
    netservice-flat-dhcp-manage floating delete --ip_range R [--force]

It builds the plugin from the configuration (``[flat_dhcp]``, ``[database]``)
and calls the same service layer as the REST API (``netservice.networks.manage``).
Errors print one line to stderr and exit 1; usage errors, and an unknown
address for ``fixed``, exit 2.
"""

from __future__ import annotations

from netservice.networks.manage.floating import FLOATING_HANDLERS, add_floating_parsers
from netservice.networks.manage.tool import Tool

from netservice_flat_dhcp.plugin import BRANCH, FlatDhcpPlugin

TOOL = Tool.for_plugin(
    FlatDhcpPlugin, BRANCH, add_parsers=add_floating_parsers, handlers=FLOATING_HANDLERS
)
main = TOOL.main
