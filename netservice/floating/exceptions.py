"""The errors of floating IP management, one per case REFERENCE.md names.

HTTP codes come from the core bases (``netservice.core.wsgi.faults``):
NotFound 404, Forbidden 403, Conflict 409, InvalidInput 400,
QuotaExceeded 413.  Every message names the address, pool or project.
"""

from __future__ import annotations

from netservice.core import exceptions


class FloatingIpNotFound(exceptions.NotFound):
    """Unknown, deleted, or another project's floating IP (never 403: no leak)."""

    msg_fmt = "Floating IP %(address)s could not be found."


class FloatingIpPoolNotFound(exceptions.NotFound):
    msg_fmt = "Floating IP pool %(pool)s could not be found."


class NoMoreFloatingIps(exceptions.Conflict):
    msg_fmt = "No floating IP address is left in pool %(pool)s."


class FloatingIpQuotaExceeded(exceptions.QuotaExceeded):
    msg_fmt = (
        "Quota exceeded for floating_ips: project %(project_id)s may hold %(quota)s "
        "floating IP(s) and holds %(used)s"
    )


class FloatingIpAssociated(exceptions.Conflict):
    """Deallocating a floating IP that is still associated."""

    msg_fmt = (
        "Floating IP %(address)s is associated with fixed IP %(fixed)s; disassociate it first."
    )


class FloatingIpNotAssociated(exceptions.Conflict):
    """Disassociating a floating IP that is not associated (409: the state, not the request)."""

    msg_fmt = "Floating IP %(address)s is not associated with a fixed IP."


class FloatingIpNotAllocated(exceptions.Conflict):
    """An admin associating a floating IP that no project holds."""

    msg_fmt = "Floating IP %(address)s is not allocated to a project; allocate it first."


class CannotAffectAutoAssigned(exceptions.Forbidden):
    """Changing an auto-assigned floating IP without ``affect_auto_assigned``.

    403, as nova's API answered CannotDisassociateAutoAssignedFloatingIP:
    the caller owns the address, but the system manages it for the instance.
    """

    msg_fmt = (
        "Floating IP %(address)s was assigned automatically to an instance; "
        "it cannot be %(action)s by hand."
    )


class FixedIpNotAllocated(exceptions.Conflict):
    """Associating with a fixed IP that no instance holds."""

    msg_fmt = (
        "Fixed IP %(address)s is not allocated to an instance; cannot associate %(floating)s."
    )


class FloatingIpRangeTooSmall(exceptions.InvalidInput):
    msg_fmt = (
        "Invalid value for 'ip_range': %(ip_range)s holds %(size)s address(es); a CIDR must "
        "hold at least 4 (give a single address without a prefix instead)"
    )


class FloatingIpRangeTooLarge(exceptions.InvalidInput):
    msg_fmt = (
        "Invalid value for 'ip_range': %(ip_range)s holds %(size)s addresses; a range of "
        "1000000 or more is refused (use a longer prefix than /%(prefix)s)"
    )


class FloatingIpExists(exceptions.Conflict):
    """``floating create`` of an address that already exists: nothing is written."""

    msg_fmt = "Floating IP %(address)s already exists (pool %(pool)s); nothing was created."


class FloatingIpRangeInUse(exceptions.InUse):
    """``floating delete`` of a range where a project still holds addresses."""

    msg_fmt = (
        "Floating IP range %(ip_range)s is in use: %(count)s address(es) are allocated to "
        "projects (first: %(address)s, project %(project_id)s); deallocate them first, or "
        "delete with --force"
    )


class FloatingIpLockTimeout(exceptions.ServiceUnavailable):
    """The project's allocation lock was not granted in time (MariaDB/MySQL only)."""

    msg_fmt = (
        "Timed out after %(seconds)s s waiting to allocate a floating IP for project "
        "%(project_id)s; retry"
    )
