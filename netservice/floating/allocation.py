"""The project side: allocate a floating IP from a pool, and give it back.

Allocation and deallocation change no binding (a deallocated address must
be disassociated first), so they wake no reconciler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.serving import ProjectServices
from netservice.floating import locking
from netservice.floating.exceptions import (
    CannotAffectAutoAssigned,
    FloatingIpAssociated,
    FloatingIpNotFound,
    FloatingIpPoolNotFound,
    FloatingIpQuotaExceeded,
    NoMoreFloatingIps,
)
from netservice.floating.pools import pool_name
from netservice.floating.store import FloatingIpRecord, Store, address_int

LOG = logging.getLogger(__name__)

Quota = int | Callable[[str], int]
"""``quota_floating_ips``: a number for every project, or ``project_id -> number``.
-1 is unlimited."""

UNLIMITED = -1


def owner_of(context: RequestContext, project_id: str | None) -> str:
    """The project an allocation is for: the caller's, or any for an admin.

    Raises NotAuthorized without a project, Forbidden for a non-admin
    naming another project.
    """
    owner = project_id or context.project_id
    if owner is None:
        raise exceptions.NotAuthorized()
    if owner != context.project_id and not context.is_admin:
        raise exceptions.Forbidden(action="allocating a floating IP for another project")
    return owner


class FloatingAllocations:
    """Allocate and deallocate, with ``quota_floating_ips``."""

    def __init__(
        self, store: Store, quota: Quota, projects: ProjectServices | None = None
    ) -> None:
        self.store = store
        self.quota = quota
        self.projects = projects
        f = store.floating.c
        self._pool_exists = (
            sa.select(f.id).where(f.pool == sa.bindparam("pool"), f.deleted == 0).limit(1)
        )
        self._used = sa.select(sa.func.count()).where(
            f.project_id == sa.bindparam("project"),
            f.auto_assigned.is_(False),
            f.deleted == 0,
        )
        free = sa.select(f.id, f.address, f.pool, f.interface).where(
            f.pool == sa.bindparam("pool"), f.deleted == 0, f.project_id.is_(None)
        )
        # Both read one entry of the pool_free index.  PostgreSQL does not take
        # "project_id IS NULL" as fixing that column, so ORDER BY address_int
        # alone makes it read and sort every free address of the pool (17 ms
        # for a /16); it needs every index column.  MariaDB is the other way
        # round: the full list makes it filesort (56 ms).
        self._first_free = free.order_by(f.address_int).limit(1)
        index_order = (f.pool, f.deleted, f.project_id, f.address_int)
        self._first_free_pg = free.order_by(*index_order).limit(1)

    def first_free_query(self, dialect: sa.Dialect) -> sa.Select[Any]:
        """The locking read of a pool's first free row (bind ``pool``) on ``dialect``."""
        pick = self._first_free_pg if dialect.name == "postgresql" else self._first_free
        return pick.with_for_update(skip_locked=locking.supports_skip_locked(dialect))

    def quota_for(self, project_id: str) -> int:
        """The project's ``quota_floating_ips``; any negative value is unlimited (-1)."""
        value = int(self.quota(project_id) if callable(self.quota) else self.quota)
        return UNLIMITED if value < 0 else value

    @retry_on_deadlock
    def allocate(
        self,
        context: RequestContext,
        project_id: str | None = None,
        pool: str | None = None,
        *,
        auto_assigned: bool = False,
    ) -> FloatingIpRecord:
        """Give ``project_id`` (default: the caller's) the first free address of ``pool``.

        ``pool`` defaults to the service's default pool ("nova").  Auto-assigned
        addresses do not count against the quota.  Not idempotent: each
        call takes another address.  Raises FloatingIpPoolNotFound (404),
        FloatingIpQuotaExceeded (413), NoMoreFloatingIps (409), Forbidden
        (403) for a non-admin naming another project, WrongNetworkService
        (409) for a project another service serves.  Returns the record.
        """
        owner = owner_of(context, project_id)
        pool = pool_name(pool, self.store.default_pool)
        limit = UNLIMITED if auto_assigned else self.quota_for(owner)
        lock = self.store.lock_name(owner) if limit != UNLIMITED else None
        with locking.write_session(self.store.db, lock, project_id=owner) as session:
            if self.projects is not None and self.store.service_name:
                # The project's shared lock (netservice.core.serving): a move
                # to another service counts this address or refuses it.
                self.projects.claim(session.connection(), owner, self.store.service_name)
            record = self.claim(session, owner, pool, auto_assigned=auto_assigned, limit=limit)
        LOG.info(
            "allocated floating IP %s from pool %s to project %s", record.address, pool, owner
        )
        return record

    def claim(
        self,
        session: orm.Session,
        project_id: str,
        pool: str,
        *,
        auto_assigned: bool,
        limit: int = UNLIMITED,
    ) -> FloatingIpRecord:
        """Take the first free address of ``pool`` for ``project_id`` in ``session``.

        The building block of ``allocate`` and auto-assignment; the caller's
        transaction must hold the project's lock when ``limit`` is not -1
        (see ``netservice.floating.locking``).
        """
        if session.execute(self._pool_exists, {"pool": pool}).first() is None:
            raise FloatingIpPoolNotFound(pool=pool)
        if limit != UNLIMITED:
            used = int(session.scalar(self._used, {"project": project_id}) or 0)
            if used >= limit:
                raise FloatingIpQuotaExceeded(project_id=project_id, quota=limit, used=used)
        pick = self.first_free_query(session.get_bind().dialect)
        row = session.execute(pick, {"pool": pool}).first()
        if row is None:
            raise NoMoreFloatingIps(pool=pool)
        self.store.update_floating(
            session, row.id, project_id=project_id, auto_assigned=auto_assigned
        )
        return FloatingIpRecord(
            id=row.id,
            address=row.address,
            pool=row.pool,
            interface=row.interface,
            project_id=project_id,
            auto_assigned=auto_assigned,
            host=None,
            fixed_ip_id=None,
            fixed_address=None,
            instance_id=None,
            network_id=None,
        )

    @retry_on_deadlock
    def deallocate(
        self,
        context: RequestContext,
        floating_address: str,
        *,
        affect_auto_assigned: bool = False,
    ) -> bool:
        """Give the address back to its pool; the project's quota is free again.

        Returns False when an admin deallocates an address that is already
        free (idempotent for admins); a project's second call answers 404,
        since the address is no longer its own.  Raises FloatingIpNotFound
        (404, also for another project's), CannotAffectAutoAssigned (403)
        for an auto-assigned one without ``affect_auto_assigned``, and
        FloatingIpAssociated (409) while it is associated.
        """
        value = address_int(floating_address, "floating_address")
        with self.store.db.writer() as session:
            row = self.store.lock_floating(session, value)
            if row is None or not self.store.visible(context, row.project_id):
                raise FloatingIpNotFound(address=floating_address)
            if row.project_id is None:
                return False
            if row.auto_assigned and not affect_auto_assigned:
                raise CannotAffectAutoAssigned(address=row.address, action="deallocated")
            if row.fixed_ip_id is not None:
                fixed = self.store.fixed_by_id(session, row.fixed_ip_id)
                raise FloatingIpAssociated(
                    address=row.address, fixed=fixed.address if fixed else row.fixed_ip_id
                )
            self.store.update_floating(
                session, row.id, project_id=None, auto_assigned=False, host=None
            )
        LOG.info("deallocated floating IP %s from project %s", row.address, row.project_id)
        return True

    def usage(self, project_id: str) -> int:
        """The floating IPs that count against ``project_id``'s quota."""
        with self.store.db.autocommit_connection() as conn:
            return int(conn.scalar(self._used, {"project": project_id}) or 0)
