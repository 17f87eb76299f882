"""``netservice-flat-manage``: nova-manage's network and fixed commands for Flat.

    netservice-flat-manage [--config-file F] network create [--label L] [--fixed_range_v4 R] ...
    netservice-flat-manage network create 192.168.0.0/24 1 256   # the positional form
    netservice-flat-manage network list
    netservice-flat-manage network delete [--fixed_range R | --uuid U]
    netservice-flat-manage network modify <fixed_range> [--project P | --disassociate-project]
                                                        [--host H | --disassociate-host]
    netservice-flat-manage fixed list [--host H]
    netservice-flat-manage fixed reserve|unreserve --address A

It builds the plugin from the configuration (``[flat]``, ``[database]``)
and calls the same service layer as the REST API (``netservice.networks.manage``).
Errors print one line to stderr and exit 1; usage errors, and an unknown
address for ``fixed``, exit 2.
"""

from __future__ import annotations

from netservice.networks.manage.tool import Tool

from netservice_flat.plugin import BRANCH, FlatPlugin

TOOL = Tool.for_plugin(FlatPlugin, BRANCH)
main = TOOL.main
