"""Associating floating IPs with fixed IPs: by hand, automatically, and on delete.

Every change of a binding runs the caller's ``bind``/``unbind`` callback
inside the transaction (a failure, such as a missing public interface,
rolls the change back) and notifies the fixed IP's network, so its
reconciler converges at once.  If the commit itself fails after the
callback succeeded, the reconciler removes the binding on its next pass.

Lock order (see ``netservice.floating``): fixed IP rows before floating IP
rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.context import RequestContext
from netservice.core.db.retry import retry_on_deadlock
from netservice.floating.allocation import FloatingAllocations, owner_of
from netservice.floating.exceptions import (
    CannotAffectAutoAssigned,
    FixedIpNotAllocated,
    FloatingIpNotAllocated,
    FloatingIpNotAssociated,
    FloatingIpNotFound,
)
from netservice.floating.pools import pool_name
from netservice.floating.store import (
    Association,
    BindCallback,
    BoundFloatingIp,
    Store,
    UnbindCallback,
    address_int,
)
from netservice.ipam.exceptions import FixedIpNotFound

LOG = logging.getLogger(__name__)


class FloatingAssociations:
    """associate, disassociate, auto-assign and release."""

    def __init__(self, store: Store, allocations: FloatingAllocations) -> None:
        self.store = store
        self.allocations = allocations

    @retry_on_deadlock
    def associate(
        self,
        context: RequestContext,
        floating_address: str,
        fixed_address: str,
        host: str | None,
        *,
        affect_auto_assigned: bool = False,
        bind: BindCallback | None = None,
    ) -> Association:
        """NAT ``floating_address`` to ``fixed_address`` on ``host``.

        The caller must hold the floating IP (admins may use any allocated
        one).  Already on that fixed IP: nothing is done (idempotent,
        ``changed`` False).  On another fixed IP: it is moved, and the result
        names the previous one so the data plane can unbind it.  That the
        fixed IP belongs to the caller's instance is the plugin's check.

        Raises FloatingIpNotFound (404, also another project's),
        FloatingIpNotAllocated (409), CannotAffectAutoAssigned (403) without
        ``affect_auto_assigned``, FixedIpNotFound (404), FixedIpNotAllocated
        (409), and whatever ``bind`` raises (after rolling back).
        """
        f_value = address_int(floating_address, "floating_address")
        x_value = address_int(fixed_address, "fixed_address")
        with self.store.db.writer() as session:
            fixed = self.store.lock_fixed(session, x_value)
            row = self.store.lock_floating(session, f_value)
            if row is None or not self.store.visible(context, row.project_id):
                raise FloatingIpNotFound(address=floating_address)
            if row.project_id is None:
                raise FloatingIpNotAllocated(address=row.address)
            if row.auto_assigned and not affect_auto_assigned:
                raise CannotAffectAutoAssigned(address=row.address, action="associated")
            if fixed is None:
                raise FixedIpNotFound(address=fixed_address)
            if not fixed.allocated:
                raise FixedIpNotAllocated(address=fixed.address, floating=row.address)
            if row.fixed_ip_id == fixed.id:
                return Association(row.address, fixed.address, None, False, row.host)
            previous = None
            if row.fixed_ip_id is not None:
                previous = self.store.fixed_by_id(session, row.fixed_ip_id)
            self.store.update_floating(session, row.id, fixed_ip_id=fixed.id, host=host)
            previous_address = previous.address if previous is not None else None
            if bind is not None:
                bind(row.address, fixed.address, previous_address)
            if previous is not None:
                self.store.notify(session, fixed.network_id, previous.network_id)
            else:
                self.store.notify(session, fixed.network_id)
        LOG.info(
            "associated floating IP %s with %s on %s%s",
            row.address,
            fixed.address,
            host,
            f" (moved from {previous_address})" if previous_address else "",
        )
        return Association(row.address, fixed.address, previous_address, True, host)

    @retry_on_deadlock
    def disassociate(
        self,
        context: RequestContext,
        floating_address: str,
        *,
        affect_auto_assigned: bool = False,
        unbind: UnbindCallback | None = None,
    ) -> str:
        """Take ``floating_address`` off its fixed IP; returns that fixed address.

        The address stays allocated to its project.  Not idempotent: a second
        call raises FloatingIpNotAssociated (409).  Also raises
        FloatingIpNotFound (404) and CannotAffectAutoAssigned (403), and
        whatever ``unbind`` raises (after rolling back).
        """
        value = address_int(floating_address, "floating_address")
        with self.store.db.writer() as session:
            row = self.store.lock_floating(session, value)
            if row is None or not self.store.visible(context, row.project_id):
                raise FloatingIpNotFound(address=floating_address)
            if row.auto_assigned and not affect_auto_assigned:
                raise CannotAffectAutoAssigned(address=row.address, action="disassociated")
            fixed = None
            if row.fixed_ip_id is not None:
                fixed = self.store.fixed_by_id(session, row.fixed_ip_id)
            if fixed is None:
                raise FloatingIpNotAssociated(address=row.address)
            self.store.update_floating(session, row.id, fixed_ip_id=None, host=None)
            if unbind is not None:
                unbind(row.address, fixed.address)
            self.store.notify(session, fixed.network_id)
        LOG.info("disassociated floating IP %s from %s", row.address, fixed.address)
        return str(fixed.address)

    @retry_on_deadlock
    def auto_assign_floating_ip(
        self,
        context: RequestContext,
        fixed_address: str,
        pool: str | None = None,
        *,
        project_id: str | None = None,
        host: str | None = None,
        bind: BindCallback | None = None,
    ) -> Association:
        """Allocate an auto-assigned floating IP and associate it with ``fixed_address``.

        For an instance's first fixed IP when ``auto_assign_floating_ip`` is
        set, in one transaction.  The address is quota-exempt and stays
        until ``release_for_instance``.  Idempotent: a fixed IP that already
        has an auto-assigned floating IP keeps it (``changed`` False).
        Raises FixedIpNotFound (404), FixedIpNotAllocated (409),
        FloatingIpPoolNotFound (404), NoMoreFloatingIps (409), and whatever
        ``bind`` raises (after rolling back).
        """
        owner = owner_of(context, project_id)
        pool = pool_name(pool, self.store.default_pool)
        f = self.store.floating.c
        x_value = address_int(fixed_address, "fixed_address")
        with self.store.db.writer() as session:
            fixed = self.store.lock_fixed(session, x_value)
            if fixed is None:
                raise FixedIpNotFound(address=fixed_address)
            if not fixed.allocated:
                raise FixedIpNotAllocated(address=fixed.address, floating="an auto-assigned IP")
            held = session.execute(
                sa.select(f.address, f.host).where(
                    f.fixed_ip_id == fixed.id, f.auto_assigned.is_(True), f.deleted == 0
                )
            ).first()
            if held is not None:
                return Association(held.address, fixed.address, None, False, held.host)
            record = self.allocations.claim(session, owner, pool, auto_assigned=True)
            self.store.update_floating(session, record.id, fixed_ip_id=fixed.id, host=host)
            if bind is not None:
                bind(record.address, fixed.address, None)
            self.store.notify(session, fixed.network_id)
        LOG.info("auto-assigned floating IP %s to %s", record.address, fixed.address)
        return Association(record.address, fixed.address, None, True, host)

    @retry_on_deadlock
    def release_for_instance(
        self,
        fixed_addresses: Sequence[str],
        *,
        unbind: UnbindCallback | None = None,
        session: orm.Session | None = None,
    ) -> list[BoundFloatingIp]:
        """Disassociate every floating IP of these fixed IPs; free the auto-assigned ones.

        Called when an instance is deleted, before its fixed IPs are
        deallocated.  Floating IPs a project allocated by hand stay allocated
        to it.  Idempotent: returns the bindings it dropped (none the second
        time).  With ``session``, runs in the caller's write transaction, so
        the fixed IPs' deallocation and this commit together.  That
        transaction must not hold a floating IP row's lock yet (lock order),
        and on MariaDB/MySQL must not have made a plain (non-locking) read
        yet: its REPEATABLE READ snapshot must not predate the fixed IPs'
        locks.  Starting it with ipam's ``lock_network`` satisfies both.
        """
        if session is None:
            with self.store.db.writer() as own:
                return self._release(own, fixed_addresses, unbind)
        return self._release(session, fixed_addresses, unbind)

    def _release(
        self,
        session: orm.Session,
        fixed_addresses: Sequence[str],
        unbind: UnbindCallback | None,
    ) -> list[BoundFloatingIp]:
        values = sorted({address_int(a, "fixed_address") for a in fixed_addresses})
        if not values:
            return []
        f, x = self.store.floating.c, self.store.fixed.c
        fixed: dict[int, Any] = {
            row.id: row
            for row in session.execute(
                sa.select(x.id, x.address, x.network_id)
                .where(x.address_int.in_(values))
                .order_by(x.id)
                .with_for_update()
            )
        }
        if not fixed:
            return []
        # Holding the fixed IPs' locks, nothing can be associated with them
        # (associate locks the fixed IP first), so a plain read finds every
        # candidate.  A locking read here would take gap locks on the
        # fixed_ip_id index under MariaDB's REPEATABLE READ, and deadlock with
        # an associate that moves a floating IP into that gap.  The candidates
        # are then locked by primary key (record locks only) and checked again,
        # since one may have been moved away meanwhile.
        candidates = session.scalars(
            sa.select(f.id).where(f.fixed_ip_id.in_(list(fixed)), f.deleted == 0)
        ).all()
        if not candidates:
            return []
        rows = session.execute(
            sa.select(f.id, f.address, f.interface, f.auto_assigned, f.fixed_ip_id)
            .where(f.id.in_(sorted(candidates)), f.deleted == 0)
            .order_by(f.id)
            .with_for_update()
        ).all()
        released, networks = [], []
        for row in rows:
            if row.fixed_ip_id not in fixed:
                continue
            target = fixed[row.fixed_ip_id]
            changes: dict[str, Any] = {"fixed_ip_id": None, "host": None}
            if row.auto_assigned:
                changes.update(project_id=None, auto_assigned=False)
            self.store.update_floating(session, row.id, **changes)
            if unbind is not None:
                unbind(row.address, target.address)
            networks.append(target.network_id)
            released.append(BoundFloatingIp(row.address, target.address, row.interface))
            LOG.info(
                "released floating IP %s from %s%s",
                row.address,
                target.address,
                " and freed it (auto-assigned)" if row.auto_assigned else "",
            )
        self.store.notify(session, *networks)
        return released
