"""The errors of address management.  HTTP codes come from their core bases."""

from __future__ import annotations

from netservice.core import exceptions


class NetworkNotFound(exceptions.NotFound):
    msg_fmt = "Network %(network)s could not be found."


class NoMoreFixedIps(exceptions.Conflict):
    msg_fmt = "No fixed IP address is left in network %(network)s."


class FixedIpAlreadyInUse(exceptions.Conflict):
    msg_fmt = "Fixed IP address %(address)s is already in use in network %(network)s."


class FixedIpNotInNetwork(exceptions.InvalidInput):
    """A requested address outside the network's allocatable range (400)."""

    msg_fmt = (
        "Invalid value for 'address': %(address)s is not in network %(network)s "
        "(allocatable range %(first)s-%(last)s)"
    )


class FixedIpNotFound(exceptions.NotFound):
    msg_fmt = "Fixed IP address %(address)s is not in any network."


class CidrConflict(exceptions.Conflict):
    msg_fmt = "Requested cidr %(cidr)s conflicts with existing cidr %(other)s"


class NetworkRangeTooSmall(exceptions.InvalidInput):
    msg_fmt = "Invalid value for '%(field)s': The network range is not big enough: %(reason)s"


class DuplicateVlan(exceptions.Conflict):
    msg_fmt = "VLAN %(vlan)s is already used by %(network)s"


class NetworkInUse(exceptions.InUse):
    """Deleting a network that is associated or still has allocated IPs."""


class FixedIpQuotaExceeded(exceptions.QuotaExceeded):
    msg_fmt = "Quota exceeded for fixed_ips: project %(project_id)s may hold %(quota)s"
