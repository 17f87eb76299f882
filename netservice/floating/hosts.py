"""Which host serves a floating IP: live migration, and re-binding at start-up.

A floating IP is NATed on the host in its row: the network host, or with
multi_host the instance's compute host.  Migration moves that host in two
steps, as nova's ``migrate_instance_start``/``finish`` did: the source drops
the binding (host None, so a source restarted mid-migration does not bind
it again), then the destination takes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.context import RequestContext
from netservice.core.db.retry import retry_on_deadlock
from netservice.floating.store import (
    BindCallback,
    BoundFloatingIp,
    Store,
    UnbindCallback,
    address_int,
)
from netservice.ipam import ranges as ipam_ranges

LOG = logging.getLogger(__name__)


class FloatingHosts:
    """Moves of the host binding, and the bindings of a host."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @retry_on_deadlock
    def migrate_instance_start(
        self,
        context: RequestContext,
        floating_addresses: Sequence[str],
        source: str | None,
        dest: str | None = None,
        *,
        instance_id: str | None = None,
        unbind: UnbindCallback | None = None,
    ) -> list[BoundFloatingIp]:
        """Unbind the floating IPs from ``source`` before the instance moves.

        Does nothing when ``source == dest``.  A stale address (unknown, not
        the caller's, not associated, or with ``instance_id`` another
        instance's) is skipped with a warning, as nova did.  Idempotent.
        Returns the bindings dropped; ``unbind`` runs for each in the
        transaction.
        """
        if not floating_addresses or (source and source == dest):
            return []
        with self.store.db.writer() as session:
            moved = self._move(session, context, floating_addresses, instance_id, None)
            for bound in moved:
                if unbind is not None:
                    unbind(bound.floating_address, bound.fixed_address)
        LOG.info("unbound %s floating IP(s) from %s for migration", len(moved), source)
        return moved

    @retry_on_deadlock
    def migrate_instance_finish(
        self,
        context: RequestContext,
        floating_addresses: Sequence[str],
        dest: str,
        source: str | None = None,
        *,
        instance_id: str | None = None,
        bind: BindCallback | None = None,
    ) -> list[BoundFloatingIp]:
        """Bind the floating IPs on ``dest`` once the instance is there.

        Does nothing when ``source == dest``.  Stale addresses are skipped
        as in ``migrate_instance_start``.  Idempotent.  Returns the bindings
        now on ``dest``; ``bind`` runs for each in the transaction.
        """
        if not floating_addresses or (source and source == dest):
            return []
        with self.store.db.writer() as session:
            moved = self._move(session, context, floating_addresses, instance_id, dest)
            for bound in moved:
                if bind is not None:
                    bind(bound.floating_address, bound.fixed_address, None)
        LOG.info("bound %s floating IP(s) on %s after migration", len(moved), dest)
        return moved

    def _move(
        self,
        session: orm.Session,
        context: RequestContext,
        floating_addresses: Sequence[str],
        instance_id: str | None,
        host: str | None,
    ) -> list[BoundFloatingIp]:
        moved, networks = [], []
        # Sorted: concurrent moves of overlapping sets lock rows in one order.
        for value in sorted({address_int(a, "floating_address") for a in floating_addresses}):
            row = self.store.lock_floating(session, value)
            fixed = None
            if row is not None and row.fixed_ip_id is not None:
                fixed = self.store.fixed_by_id(session, row.fixed_ip_id)
            if (
                row is None
                or fixed is None
                or not self.store.visible(context, row.project_id)
                or (instance_id is not None and fixed.instance_id != instance_id)
            ):
                LOG.warning(
                    "floating IP %s is not associated with instance %s; not moving it",
                    ipam_ranges.to_text(value),
                    instance_id,
                )
                continue
            if row.host != host:
                self.store.update_floating(session, row.id, host=host)
                networks.append(fixed.network_id)
            moved.append(BoundFloatingIp(row.address, fixed.address, row.interface))
        self.store.notify(session, *networks)
        return moved

    def bound_on_host(self, host: str, *, network_id: int | None = None) -> list[BoundFloatingIp]:
        """The associated floating IPs ``host`` NATs, for init_host to re-bind.

        With ``network_id``, only those on that network's fixed IPs (a
        reconciler's one-network pass).  In floating address order.  Read only.
        """
        f, x = self.store.floating.c, self.store.fixed.c
        query = (
            sa.select(f.address, x.address.label("fixed"), f.interface)
            .join(self.store.fixed, x.id == f.fixed_ip_id)
            .where(f.host == host, f.deleted == 0)
            .order_by(f.address_int)
        )
        if network_id is not None:
            query = query.where(x.network_id == network_id)
        with self.store.db.autocommit_connection() as conn:
            return [BoundFloatingIp(r.address, r.fixed, r.interface) for r in conn.execute(query)]
