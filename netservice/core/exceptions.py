"""One exception tree for the whole project.

Domain errors know nothing of HTTP: the WSGI layer maps them to status codes in
one table (``netservice.core.wsgi.faults.FAULT_MAP``).  Each class formats its
``msg_fmt`` with the keyword arguments it is raised with, as os-vif does, so a
message always names the field or object it is about.
"""

from __future__ import annotations

import logging
from typing import Any

LOG = logging.getLogger(__name__)


class NetserviceError(Exception):
    """Base of every error the project raises on purpose."""

    msg_fmt = "An unknown error occurred."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                # A wrong keyword is a programming error; keep the template
                # rather than hide the original failure behind a new one.
                LOG.exception("could not format %s with %r", type(self).__name__, kwargs)
                message = self.msg_fmt
        self.message = message
        super().__init__(message)


# --- client errors ---------------------------------------------------------


class BadRequest(NetserviceError):
    msg_fmt = "Bad request: %(reason)s"


class InvalidInput(BadRequest):
    """A value broke a rule; the message names the field and the rule."""

    msg_fmt = "Invalid value for '%(field)s': %(reason)s"


class MalformedBody(BadRequest):
    msg_fmt = "Malformed request body: %(reason)s"


class NotAuthorized(NetserviceError):
    msg_fmt = "Not authorized."


class Forbidden(NetserviceError):
    msg_fmt = "Policy does not allow %(action)s to be performed."


class NotFound(NetserviceError):
    msg_fmt = "Resource could not be found."


class Conflict(NetserviceError):
    msg_fmt = "Conflict: %(reason)s"


class InUse(Conflict):
    msg_fmt = "%(resource)s is in use: %(reason)s"


class NotAcceptable(NetserviceError):
    msg_fmt = "None of the requested media types is available: %(accept)s"


class UnsupportedMediaType(NetserviceError):
    msg_fmt = "Unsupported media type '%(content_type)s'; use application/json or application/xml"


class QuotaExceeded(NetserviceError):
    msg_fmt = "Quota exceeded for %(resource)s: %(reason)s"


# --- the core's own domain errors ------------------------------------------


class NetworkServiceNotFound(NotFound):
    msg_fmt = "Network service '%(name)s' is not loaded; loaded services: %(loaded)s"


class WrongNetworkService(Conflict):
    """A plugin was addressed for a project that belongs to another plugin."""

    msg_fmt = (
        "Project %(project_id)s is served by network service '%(expected)s', not '%(requested)s'"
    )


class ProjectHasResources(Conflict):
    msg_fmt = (
        "Project %(project_id)s still has resources under network service "
        "'%(service)s': %(resources)s; changing its service would orphan them "
        "(use --force, or force=true over REST, to do it anyway)"
    )


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class VnicNotFound(NotFound):
    msg_fmt = "Virtual NIC %(vnic_id)s could not be found."


class VnicInUse(Conflict):
    msg_fmt = "Virtual NIC %(vnic_id)s is already attached to instance %(instance_id)s"


# --- start-up and server errors ----------------------------------------------


class ConfigurationError(NetserviceError):
    """Start-up cannot go on; the message names the bad option or entry."""

    msg_fmt = "%(reason)s"


class PluginLoadError(ConfigurationError):
    msg_fmt = "Network service entry '%(entry)s' in %(conf)s: %(reason)s"


class ServiceUnavailable(NetserviceError):
    msg_fmt = "Service unavailable: %(reason)s"


# --- the database's errors, classified once by netservice.core.db.errors -------


class DatabaseUnavailable(ServiceUnavailable):
    """The connection was lost or the server cannot be reached; worth retrying later.

    ``retry_after`` is how many seconds a client should wait before it does.
    """

    msg_fmt = "The database is unavailable (%(reason)s); retry in %(retry_after)s seconds"
    retry_after = 5

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("retry_after", self.retry_after)
        super().__init__(message, **kwargs)
        self.retry_after = int(kwargs["retry_after"])


class ConcurrentUpdate(Conflict):
    """A deadlock or serialisation failure that outlived the server's retries."""

    msg_fmt = (
        "The change collided with concurrent changes (%(reason)s) and was given up "
        "after the server's retries; retry the request"
    )


class DuplicateEntry(Conflict):
    """A unique constraint refused a row: what is taken, by column and value."""

    msg_fmt = "%(what)s is already taken"


class ReferenceNotFound(Conflict):
    """A foreign key refused a row: what it points to is gone."""

    msg_fmt = "the %(table)s it refers to does not exist (any more)"


class ValueOutOfRange(BadRequest):
    """The database refused a value that passed validation (too long, out of range)."""

    msg_fmt = "A value does not fit its database column: %(reason)s"


class PluginFailure(NetserviceError):
    """A plugin raised something that is not a domain error.

    Raised once, at the boundary between the core and a plugin, where the
    original traceback is logged.
    """

    msg_fmt = "Network service '%(plugin)s' failed: %(reason)s"


class ClaimConflict(Conflict):
    """A registry claim overlaps another owner's: names both (``netservice.core.registry``)."""

    msg_fmt = "%(claim)s overlaps %(other)s"
