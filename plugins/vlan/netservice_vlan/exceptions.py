"""The VLAN topology's own errors.  HTTP codes come from their core bases."""

from __future__ import annotations

from netservice.core import exceptions


class NoMoreNetworks(exceptions.Conflict):
    """A project without a network asked for one and every network is taken (409)."""

    msg_fmt = (
        "No free vlan network is left for project %(project_id)s: create more "
        "(network create) or disassociate one (network modify --disassociate-project)"
    )


class ProjectHasNoNetwork(exceptions.NotFound):
    msg_fmt = "Project %(project_id)s has no vlan network."


class VpnPortInUse(exceptions.Conflict):
    msg_fmt = "VPN port %(address)s:%(port)s is already used by %(owner)s"
