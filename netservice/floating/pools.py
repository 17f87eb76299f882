"""The operator side: ``floating create``, ``floating delete`` and ``floating list``.

Creating and deleting change no binding (a deleted range must be free
unless forced), so they notify nobody, except a forced delete of
associated addresses, which wakes those networks' reconcilers.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.registry.claims import floating_range
from netservice.floating import ranges
from netservice.floating.exceptions import (
    FloatingIpExists,
    FloatingIpNotFound,
    FloatingIpRangeInUse,
)
from netservice.floating.models import DEFAULT_POOL
from netservice.floating.store import (
    FloatingIpRecord,
    Store,
    UnbindCallback,
    address_int,
    to_record,
)
from netservice.ipam import ranges as ipam_ranges
from netservice.ipam import values

LOG = logging.getLogger(__name__)

INSERT_BATCH = 5_000  # rows per executemany: bounded memory for a /13


def pool_name(pool: str | None, default: str = DEFAULT_POOL) -> str:
    """A pool name: 1-255 characters; ``default`` when None or empty."""
    name = (pool or "").strip() or default
    if len(name) > 255:
        raise exceptions.InvalidInput(field="pool", reason="is longer than 255 characters")
    return name


class FloatingRanges:
    """Ranges of floating IPs, as ``netservice-<plugin>-manage floating`` handles them."""

    def __init__(self, store: Store, *, default_interface: str | None = None) -> None:
        self.store = store
        self.default_interface = default_interface or None

    @retry_on_deadlock
    def create_range(
        self, ip_range: str, pool: str | None = None, interface: str | None = None
    ) -> int:
        """Create the floating IPs of ``ip_range`` (one address or a CIDR's hosts).

        ``pool`` defaults to the service's default pool ("nova"), ``interface``
        to the service's default interface (``[linux] public_interface``,
        ``eth0`` unless configured, as nova stored), or None without one.

        All or nothing, in one transaction.  Returns how many were created.
        Raises InvalidInput, FloatingIpRangeTooSmall, FloatingIpRangeTooLarge
        (400), and FloatingIpExists (409) when any address already exists,
        naming the first; nothing is written then.  Not idempotent.
        """
        wanted = ranges.parse(ip_range)
        pool = pool_name(pool, self.store.default_pool)
        interface = (interface or "").strip() or self.default_interface
        if interface:
            interface = values.bridge_name(interface, "interface")
        table = self.store.floating
        try:
            with self.store.db.writer() as session:
                self._refuse_existing(session, wanted)
                now = utcnow()
                addresses = range(wanted.first, wanted.last + 1)
                for start in range(0, wanted.size, INSERT_BATCH):
                    rows = [
                        {
                            "address": ipam_ranges.to_text(value),
                            "address_int": value,
                            "pool": pool,
                            "interface": interface or None,
                            "project_id": None,
                            "auto_assigned": False,
                            "fixed_ip_id": None,
                            "host": None,
                            "created_at": now,
                            "deleted": 0,
                        }
                        for value in addresses[start : start + INSERT_BATCH]
                    ]
                    session.execute(sa.insert(table), rows)
                self._claim(session, wanted)
        except exceptions.DuplicateEntry as err:
            # Another create of an overlapping range committed first.
            with self.store.db.transaction() as session:
                self._refuse_existing(session, wanted)
            raise exceptions.Conflict(reason=f"creating {wanted.text} failed: {err}") from err
        LOG.info("created %s floating IP(s) %s in pool %s", wanted.size, wanted.text, pool)
        return wanted.size

    def _claim(self, session: orm.Session, wanted: ranges.AddressRange) -> None:
        """Hold the range in the registry: refused (ClaimConflict) when another owner has it."""
        store = self.store
        if store.registry is not None:
            claims = floating_range(store.service_name, wanted.first, wanted.last, wanted.text)
            store.registry.claim(session.connection(), claims)

    def _refuse_existing(self, session: orm.Session, wanted: ranges.AddressRange) -> None:
        f = self.store.floating.c
        taken = session.execute(
            sa.select(f.address, f.pool)
            .where(f.address_int.between(wanted.first, wanted.last), f.deleted == 0)
            .order_by(f.address_int)
            .limit(1)
        ).first()
        if taken is not None:
            raise FloatingIpExists(address=taken.address, pool=taken.pool)

    @retry_on_deadlock
    def delete_range(
        self, ip_range: str, *, force: bool = False, unbind: UnbindCallback | None = None
    ) -> int:
        """Delete the floating IPs of ``ip_range``; returns how many were deleted.

        Refused (FloatingIpRangeInUse, 409) while a project holds any of them,
        unless ``force``, which deletes them anyway as nova-manage did: their
        bindings are dropped (``unbind`` runs for each, in the transaction)
        and their networks' reconcilers are woken.  Addresses of the range
        that do not exist are skipped; FloatingIpNotFound (404) when none
        does.  All or nothing.  Deleting frees the quota of their projects.
        """
        wanted = ranges.parse(ip_range)
        f, x = self.store.floating.c, self.store.fixed.c
        in_range = (f.address_int.between(wanted.first, wanted.last), f.deleted == 0)
        with self.store.db.writer() as session:
            bound: list[Any] = []
            if force:
                # Lock the range first, so nothing is associated behind our back.
                session.execute(sa.select(f.id).where(*in_range).with_for_update())
                bound = list(
                    session.execute(
                        sa.select(f.address, x.address.label("fixed"), x.network_id)
                        .join(self.store.fixed, x.id == f.fixed_ip_id)
                        .where(*in_range)
                        .order_by(f.address_int)
                    )
                )
            update = sa.update(self.store.floating).where(*in_range)
            if not force:
                # Rows a concurrent allocation holds are left alone, then found below.
                update = update.where(f.project_id.is_(None))
            result = session.execute(
                update.values(deleted=f.id, deleted_at=utcnow(), fixed_ip_id=None, host=None)
            )
            deleted = int(cast("sa.CursorResult[Any]", result).rowcount or 0)
            if not force:
                self._refuse_held(session, wanted, in_range)
            if not deleted:
                raise FloatingIpNotFound(address=wanted.text)
            if self.store.registry is not None:
                self.store.registry.release_floating(
                    session.connection(), self.store.service_name, wanted.first, wanted.last
                )
            for row in bound:
                if unbind is not None:
                    unbind(row.address, row.fixed)
            self.store.notify(session, *(row.network_id for row in bound))
        LOG.info("deleted %s floating IP(s) of %s", deleted, wanted.text)
        if bound:
            LOG.warning("forced delete of %s dropped %s association(s)", wanted.text, len(bound))
        return deleted

    def _refuse_held(
        self, session: orm.Session, wanted: ranges.AddressRange, in_range: tuple[Any, ...]
    ) -> None:
        """Raise FloatingIpRangeInUse if a live row of the range remains (it is held)."""
        f = self.store.floating.c
        # A locking read sees the latest committed rows on every backend,
        # whatever snapshot the transaction holds.
        first = session.execute(
            sa.select(f.address, f.project_id)
            .where(*in_range)
            .order_by(f.address_int)
            .limit(1)
            .with_for_update()
        ).first()
        if first is None:
            return
        count = session.scalar(sa.select(sa.func.count()).where(*in_range))
        raise FloatingIpRangeInUse(
            ip_range=wanted.text, count=count, address=first.address, project_id=first.project_id
        )

    def list(
        self,
        host: str | None = None,
        *,
        pool: str | None = None,
        allocated: bool | None = None,
        limit: int | None = None,
        marker: str | None = None,
    ) -> list[FloatingIpRecord]:
        """Live floating IPs in address order, as ``floating list [--host]`` shows them.

        With ``host``, only those bound on that host; with ``allocated``
        True (False), only those a project holds (free ones).  ``marker`` is
        the last address of the previous page.  Read only.
        """
        f = self.store.floating.c
        query = self.store.records.order_by(f.address_int)
        if host is not None:
            query = query.where(f.host == host)
        if pool is not None:
            query = query.where(f.pool == pool)
        if allocated is not None:
            held = f.project_id.is_not(None)
            query = query.where(held if allocated else sa.not_(held))
        if marker is not None:
            query = query.where(f.address_int > address_int(marker, "marker"))
        if limit is not None:
            query = query.limit(limit)
        with self.store.db.autocommit_connection() as conn:
            return [to_record(row) for row in conn.execute(query)]
