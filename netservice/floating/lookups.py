"""The getters nova's network API had, on one plugin's tables.  All read only.

With a ``context``, a non-admin asking for another project's floating IP
gets FloatingIpNotFound (404), as for one that does not exist.  Without
one, the caller (a plugin's own code) has already decided who may see it.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from netservice.core.context import RequestContext
from netservice.floating.exceptions import FloatingIpNotFound
from netservice.floating.store import FloatingIpRecord, Store, address_int, to_record

LOG = logging.getLogger(__name__)


class FloatingLookups:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _one(self, where: Any, shown: str, context: RequestContext | None) -> FloatingIpRecord:
        with self.store.db.autocommit_connection() as conn:
            row = conn.execute(self.store.records.where(where)).first()
        if row is None or (
            context is not None and not self.store.visible(context, row.project_id)
        ):
            raise FloatingIpNotFound(address=shown)
        return to_record(row)

    def get_floating_ip(
        self, floating_ip_id: int, *, context: RequestContext | None = None
    ) -> FloatingIpRecord:
        """A live floating IP by id.  Raises FloatingIpNotFound (404)."""
        try:
            row_id = int(floating_ip_id)
        except (TypeError, ValueError):
            raise FloatingIpNotFound(address=f"with id {floating_ip_id}") from None
        return self._one(self.store.floating.c.id == row_id, f"with id {row_id}", context)

    def get_floating_ip_by_address(
        self, address: str, *, context: RequestContext | None = None
    ) -> FloatingIpRecord:
        """A live floating IP by address.  Raises InvalidInput (400), FloatingIpNotFound."""
        value = address_int(address)
        return self._one(self.store.floating.c.address_int == value, address, context)

    def get_floating_ip_pools(self) -> list[str]:
        """The names of the pools that have at least one floating IP, sorted."""
        f = self.store.floating.c
        query = sa.select(f.pool).where(f.deleted == 0).distinct().order_by(f.pool)
        with self.store.db.autocommit_connection() as conn:
            return [str(pool) for pool in conn.scalars(query)]

    def get_floating_ips_by_fixed_address(self, fixed_address: str) -> list[str]:
        """The floating addresses associated with ``fixed_address`` (often none)."""
        f, x = self.store.floating.c, self.store.fixed.c
        query = (
            sa.select(f.address)
            .join(self.store.fixed, x.id == f.fixed_ip_id)
            .where(x.address_int == address_int(fixed_address, "fixed_address"), f.deleted == 0)
            .order_by(f.address_int)
        )
        with self.store.db.autocommit_connection() as conn:
            return [str(a) for a in conn.scalars(query)]

    def get_floating_ips_by_project(self, project_id: str) -> list[FloatingIpRecord]:
        """The project's floating IPs, auto-assigned ones included, in address order."""
        f = self.store.floating.c
        query = self.store.records.where(f.project_id == project_id).order_by(f.address_int)
        with self.store.db.autocommit_connection() as conn:
            return [to_record(row) for row in conn.execute(query)]

    def get_instance_id_by_floating_address(
        self, address: str, *, context: RequestContext | None = None
    ) -> str | None:
        """The instance holding the fixed IP the address is on; None if not associated.

        Raises FloatingIpNotFound (404) for an unknown address.
        """
        return self.get_floating_ip_by_address(address, context=context).instance_id
