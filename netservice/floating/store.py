"""What the floating IP modules share: the two tables, the records they return,
the row locks, and the change notification.

Statements are SQLAlchemy Core on the plugin's mapped tables: the callers
get plain frozen records, never ORM objects bound to a closed session.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier
from netservice.core.registry import Registry
from netservice.floating.models import DEFAULT_POOL
from netservice.ipam import ranges

LOG = logging.getLogger(__name__)

BindCallback = Callable[[str, str, str | None], None]
"""``bind(floating, fixed, previous_fixed)``: make the data plane NAT ``floating``
to ``fixed`` (and drop ``previous_fixed``'s binding when it was moved).  Runs
inside the transaction; raising rolls the database change back."""

UnbindCallback = Callable[[str, str], None]
"""``unbind(floating, fixed)``: undo a binding.  Runs inside the transaction;
raising rolls the database change back."""


@dataclasses.dataclass(frozen=True)
class FloatingIpRecord:
    """A floating IP with the fixed IP it is associated with, if any."""

    id: int
    address: str
    pool: str
    interface: str | None
    project_id: str | None
    auto_assigned: bool
    host: str | None
    fixed_ip_id: int | None
    fixed_address: str | None
    instance_id: str | None
    network_id: int | None


@dataclasses.dataclass(frozen=True)
class Association:
    """What ``associate`` and ``auto_assign_floating_ip`` did.

    ``previous_fixed_address`` is the fixed IP the floating IP was moved
    from (its binding must go), or None.  ``changed`` is False when the
    floating IP was already on that fixed IP and nothing was written.
    """

    floating_address: str
    fixed_address: str
    previous_fixed_address: str | None
    changed: bool
    host: str | None


class BoundFloatingIp(NamedTuple):
    """A binding for the data plane: NAT ``floating_address`` to ``fixed_address``.

    ``interface`` is the one ``floating create`` stored, or None for the
    plugin's configured public interface.
    """

    floating_address: str
    fixed_address: str
    interface: str | None


def table_of(model: type[Any]) -> sa.Table:
    table = getattr(model, "__table__", None)
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model!r} is not a mapped table class")
    return table


class Store:
    """The tables, the shared statements and the notifier of one plugin."""

    def __init__(
        self,
        db: Database,
        floating_model: type[Any],
        fixed_ip_model: type[Any],
        *,
        notifier: ChangeNotifier | None = None,
        service_name: str | None = None,
        default_pool: str = DEFAULT_POOL,
        registry: Registry | None = None,
    ) -> None:
        if notifier is not None and not service_name:
            raise ValueError("a notifier needs the service_name its changes are published for")
        if registry is not None and not service_name:
            raise ValueError("a registry needs the service_name its claims are made for")
        self.registry = registry
        self.db = db
        self.floating = table_of(floating_model)
        self.fixed = table_of(fixed_ip_model)
        self.notifier = notifier
        self.service_name = service_name or ""
        self.default_pool = default_pool
        f, x = self.floating.c, self.fixed.c
        self.records = (
            sa.select(
                f.id,
                f.address,
                f.pool,
                f.interface,
                f.project_id,
                f.auto_assigned,
                f.host,
                f.fixed_ip_id,
                x.address.label("fixed_address"),
                x.instance_id,
                x.network_id,
            )
            .select_from(self.floating.outerjoin(self.fixed, x.id == f.fixed_ip_id))
            .where(f.deleted == 0)
        )
        self._lock_floating = (
            sa.select(self.floating)
            .where(f.address_int == sa.bindparam("a"), f.deleted == 0)
            .with_for_update()
        )
        self._lock_fixed = (
            sa.select(x.id, x.address, x.network_id, x.allocated, x.instance_id)
            .where(x.address_int == sa.bindparam("a"))
            .with_for_update()
        )
        self._fixed_by_id = sa.select(x.id, x.address, x.network_id, x.instance_id).where(
            x.id == sa.bindparam("i")
        )

    # --- rows ------------------------------------------------------------------

    def lock_floating(self, session: orm.Session, address: int) -> Any:
        """The live floating IP row at ``address``, locked until commit; or None."""
        return session.execute(self._lock_floating, {"a": address}).first()

    def lock_fixed(self, session: orm.Session, address: int) -> Any:
        """The fixed IP row at ``address``, locked until commit; or None.

        A plugin's live networks never overlap, so an address has one row.
        """
        return session.execute(self._lock_fixed, {"a": address}).first()

    def fixed_by_id(self, session: orm.Session, fixed_ip_id: int) -> Any:
        return session.execute(self._fixed_by_id, {"i": fixed_ip_id}).first()

    def update_floating(self, session: orm.Session, row_id: int, **values: Any) -> None:
        values["updated_at"] = utcnow()
        session.execute(
            sa.update(self.floating).where(self.floating.c.id == row_id).values(**values)
        )

    # --- policy and notification ------------------------------------------------------

    @staticmethod
    def visible(context: RequestContext, project_id: str | None) -> bool:
        """Whether ``context`` may act on a floating IP held by ``project_id``.

        Admins may act on any; a project only on its own, so another project's
        (or a free) address answers "not found" rather than "forbidden".
        """
        return context.is_admin or (project_id is not None and project_id == context.project_id)

    def notify(self, session: orm.Session, *network_ids: int | None) -> None:
        """Wake the reconcilers of ``network_ids`` (None: all networks) on commit.

        Each network once, named by its integer id as text, which the plugins'
        network lookups accept.
        """
        if self.notifier is None:
            return
        for network_id in dict.fromkeys(network_ids):
            self.notifier.notify(
                session, self.service_name, None if network_id is None else str(network_id)
            )

    def lock_name(self, project_id: str) -> str:
        """A stable name for the project's allocation lock, unique to this table."""
        digest = hashlib.blake2b(
            f"{self.floating.name}:{project_id}".encode(), digest_size=16
        ).hexdigest()
        return f"nsfip_{digest}"


def to_record(row: Any) -> FloatingIpRecord:
    """A row of ``Store.records`` as a record."""
    return FloatingIpRecord(
        id=row.id,
        address=row.address,
        pool=row.pool,
        interface=row.interface,
        project_id=row.project_id,
        auto_assigned=bool(row.auto_assigned),
        host=row.host,
        fixed_ip_id=row.fixed_ip_id,
        fixed_address=row.fixed_address,
        instance_id=row.instance_id,
        network_id=row.network_id,
    )


def address_int(address: str, field: str = "address") -> int:
    """An IPv4 address as an integer.  Raises InvalidInput naming ``field``."""
    return ranges.to_int(str(address).strip(), field)
