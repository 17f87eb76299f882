"""Project ↔ network service association: the one service layer for REST and CLI."""

from __future__ import annotations

import logging

from netservice.core import exceptions, validation
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api
from netservice.core.manager import NetworkServiceManager

LOG = logging.getLogger(__name__)


def leftovers(
    manager: NetworkServiceManager, context: RequestContext, project_id: str, service: str
) -> dict[str, int]:
    """What the project still holds under ``service``, by kind; empty when nothing."""
    counts: dict[str, int] = {}
    try:
        plugin = manager.get(service)
    except exceptions.NetworkServiceNotFound:
        LOG.warning(
            "project %s is associated with %s, which is not loaded; its resources "
            "cannot be counted",
            project_id,
            service,
        )
    else:
        for kind, count in (
            plugin.get_os_service().get_project_resources(context, project_id).items()
        ):
            if count:
                counts[kind] = int(count)
    attached = db_api.count_project_instance_vnics(manager.database, project_id)
    if attached:
        counts["instance vnics"] = attached
    return counts


def set_network_service(
    manager: NetworkServiceManager,
    context: RequestContext,
    project_id: str,
    service: str,
    *,
    force: bool = False,
) -> dict[str, int]:
    """Associate the project with ``service``; returns what was orphaned (with ``force``).

    Idempotent.  Raises InvalidInput for a malformed project id or a service
    that is not loaded (naming the loaded ones), and ProjectHasResources when
    the project holds resources under its current service, unless ``force``.
    The move is atomic with respect to creates (``netservice.core.serving``):
    a create racing it either lands first and is counted here, or is
    refused after it.
    """
    validation.project_id(project_id)
    if service not in manager.names():
        raise exceptions.InvalidInput(
            field="network_service",
            reason=f"'{service}' is not a loaded network service; loaded: "
            f"{', '.join(manager.names()) or 'none'}",
        )
    return _move(manager, context, project_id, service, force=force)


def unset_network_service(
    manager: NetworkServiceManager,
    context: RequestContext,
    project_id: str,
    *,
    force: bool = False,
) -> bool:
    """Drop the association, so the project falls back to the default service.

    Returns False when there was none.  Refuses like ``set_network_service``
    when that would orphan resources.
    """
    validation.project_id(project_id)
    _, is_default = manager.service_name_for_project(project_id)
    if is_default:
        return False
    _move(manager, context, project_id, None, force=force)
    return True


def _move(
    manager: NetworkServiceManager,
    context: RequestContext,
    project_id: str,
    service: str | None,
    *,
    force: bool,
) -> dict[str, int]:
    def count(current: str) -> dict[str, int]:
        return leftovers(manager, context, project_id, current)

    current, left = manager.projects.move(
        manager.database, project_id, service, count, force=force
    )
    wanted = service or manager.default_service
    if left:
        described = ", ".join(f"{n} {kind}" for kind, n in sorted(left.items()))
        LOG.warning("project %s moved off %s with force, orphaning %s", project_id, current,
                    described)  # fmt: skip
    if current != wanted:
        LOG.info("project %s: network service %s -> %s", project_id, current, wanted)
    return left
