"""Which network service serves a project, decided in one place for every caller.

A plugin's service layer calls ``ProjectServices.claim`` inside the write
transaction that creates a project's resource (a network given to a
project, a VNIC, a port), so REST callers (admins acting for a project
too), the ``-manage`` tools and compute all meet the same check.  Moving a
project (``move``) takes the same lock exclusively, so a create racing a
move either commits first, and the move's orphan count sees it, or waits and
is then refused.  Nothing is stranded under the old service.

The lock, per engine:

- **SQLite**: ``Database.writer()`` is ``BEGIN IMMEDIATE``, so every writer,
  creates and moves alike, already runs alone.
- **PostgreSQL**: a transaction-scoped advisory lock on the project:
  creates take it shared (they do not wait for each other), a move takes it
  exclusive.  A row lock would not do: a project served by the default has
  no association row to lock, and a ``FOR SHARE`` waiting on a row the move
  soft-deletes would drop that row and read "no association" afterwards.
- **MariaDB/MySQL**: the association row read with ``LOCK IN SHARE MODE``
  (creates) and ``FOR UPDATE`` (moves).  When the project has no row,
  InnoDB's REPEATABLE READ locks the gap where the row would go; gap locks
  do not exclude each other, but an INSERT into a gap waits for every shared
  gap lock.  So a move writes the new association *before* it counts what
  the old service still holds: the write waits for every create that got in
  first, and every create that comes later waits for the move.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.models import ProjectNetworkService
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database

LOG = logging.getLogger(__name__)

_MYSQL = ("mysql", "mariadb")


def _advisory_key(project_id: str) -> int:
    """A signed 64-bit ``pg_advisory_xact_lock`` key for the project."""
    digest = hashlib.sha256(f"netservice:project:{project_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _association(project_id: str) -> sa.Select[Any]:
    return sa.select(ProjectNetworkService).where(
        ProjectNetworkService.project_id == project_id, ProjectNetworkService.deleted == 0
    )


class ProjectServices:
    """The project ↔ service association, as the write paths see it.

    Built by the core and handed to plugins in ``PluginContext.projects``.
    """

    def __init__(self, default_service: str) -> None:
        self.default_service = default_service

    def claim(self, conn: sa.Connection, project_id: str, service: str) -> None:
        """Check, under the project's shared lock, that ``service`` serves the project.

        Call it inside the write transaction (``Database.writer()`` or
        ``write_connection()``) that creates the project's resource, before
        the write; the lock is held until that transaction ends.  Raises
        WrongNetworkService (409) naming the project, its service and
        ``service``.
        """
        backend = conn.dialect.name
        query = _association(project_id)
        if backend == "postgresql":
            conn.execute(
                sa.select(sa.func.pg_advisory_xact_lock_shared(_advisory_key(project_id)))
            )
        elif backend in _MYSQL:
            query = query.with_for_update(read=True)
        row = conn.execute(query.with_only_columns(ProjectNetworkService.network_service)).first()
        expected = row[0] if row is not None else self.default_service
        if expected != service:
            raise exceptions.WrongNetworkService(
                project_id=project_id, expected=expected, requested=service
            )

    @retry_on_deadlock
    def move(
        self,
        db: Database,
        project_id: str,
        service: str | None,
        leftovers: Callable[[str], Mapping[str, int]],
        *,
        force: bool = False,
    ) -> tuple[str, dict[str, int]]:
        """Associate the project with ``service`` (None: drop the association).

        One write transaction holding the project's exclusive lock (see the
        module docstring).  ``leftovers(current)`` counts what the project
        holds under its current service; it runs in its own read
        transaction while the lock keeps creates out, so it sees every
        create that committed before.  Non-empty leftovers refuse the move
        (ProjectHasResources, nothing written) unless ``force``.  Returns
        ``(previous service, what was left behind)``.  Idempotent.
        """
        with db.writer() as session:
            conn = session.connection()
            query = _association(project_id)
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_advisory_key(project_id))))
            elif conn.dialect.name in _MYSQL:
                query = query.with_for_update()
            row = session.scalars(query).first()
            current = row.network_service if row is not None else self.default_service
            wanted = service or self.default_service
            if row is not None and row.network_service == service:
                return current, {}
            if row is None and service is None:
                return current, {}
            if row is not None:
                row.soft_delete(row.id)
                session.flush()
            if service is not None:
                session.add(ProjectNetworkService(project_id=project_id, network_service=service))
            # Written first, counted second: on MariaDB the write is what waits
            # for the creates already holding the project's shared lock.
            session.flush()
            left = dict(leftovers(current)) if current != wanted else {}
            if left and not force:
                described = ", ".join(f"{count} {kind}" for kind, count in sorted(left.items()))
                raise exceptions.ProjectHasResources(
                    project_id=project_id, service=current, resources=described
                )
        return current, left
