"""``FloatingIps``: the one object a plugin builds for its floating IP table.

    floating = FloatingIps(
        database, FloatingIp, FixedIp,
        quota=lambda project: config.quota_floating_ips,
        notifier=context.notifier, service_name="flat_dhcp",
    )

It composes the modules that do the work (``pools``, ``allocation``,
``association``, ``hosts``, ``lookups``) and delegates to them; their
docstrings say what each call raises and whether it is idempotent.  Every
public method is its own transaction unless it takes a ``session``, so a
refused request writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.context import RequestContext
from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier
from netservice.core.registry import Claim, Registry
from netservice.core.registry.claims import floating_range
from netservice.core.serving import ProjectServices
from netservice.floating.allocation import FloatingAllocations, Quota
from netservice.floating.association import FloatingAssociations
from netservice.floating.hosts import FloatingHosts
from netservice.floating.lookups import FloatingLookups
from netservice.floating.models import DEFAULT_POOL
from netservice.floating.pools import FloatingRanges
from netservice.floating.store import (
    Association,
    BindCallback,
    BoundFloatingIp,
    FloatingIpRecord,
    Store,
    UnbindCallback,
)


class FloatingIps:
    """Floating IPs on ``floating_model``'s table, associated with ``fixed_ip_model``'s rows.

    ``floating_model`` combines ``netservice.floating.models.FloatingIpMixin``
    and ``fixed_ip_model`` ``netservice.ipam.models.FixedIpMixin``.  ``quota``
    is ``quota_floating_ips`` (-1: unlimited), or a function of the project.
    With a ``notifier``, every change of a binding publishes a change of the
    fixed IP's network for ``service_name`` when the transaction commits.
    ``default_interface`` is what ``floating create`` stores without an
    interface: the ``[linux] public_interface`` option, as in nova.  With a
    ``registry``, ranges are claimed there for ``service_name`` when created
    and released when deleted, in the same transaction.
    ``projects`` (``PluginContext.projects``) refuses an allocation for a
    project ``service_name`` does not serve.
    """

    def __init__(
        self,
        db: Database,
        floating_model: type[Any],
        fixed_ip_model: type[Any],
        *,
        quota: Quota,
        notifier: ChangeNotifier | None = None,
        service_name: str | None = None,
        default_pool: str = DEFAULT_POOL,
        default_interface: str | None = None,
        registry: Registry | None = None,
        projects: ProjectServices | None = None,
    ) -> None:
        self.store = Store(
            db,
            floating_model,
            fixed_ip_model,
            notifier=notifier,
            service_name=service_name,
            default_pool=default_pool,
            registry=registry,
        )
        self.ranges = FloatingRanges(self.store, default_interface=default_interface)
        self.allocations = FloatingAllocations(self.store, quota, projects)
        self.associations = FloatingAssociations(self.store, self.allocations)
        self.hosts = FloatingHosts(self.store)
        self.lookups = FloatingLookups(self.store)

    # --- operator side (floating create|delete|list) ---------------------------------

    def create_range(
        self, ip_range: str, pool: str | None = None, interface: str | None = None
    ) -> int:
        """``floating create``; see ``FloatingRanges.create_range``."""
        return self.ranges.create_range(ip_range, pool, interface)

    def delete_range(
        self, ip_range: str, *, force: bool = False, unbind: UnbindCallback | None = None
    ) -> int:
        """``floating delete``; see ``FloatingRanges.delete_range``."""
        return self.ranges.delete_range(ip_range, force=force, unbind=unbind)

    def claims(self) -> list[Claim]:
        """What the live floating IPs claim, read now: one claim set per contiguous run."""
        f = self.store.floating.c
        with self.store.db.transaction() as session:
            values = list(
                session.scalars(
                    sa.select(f.address_int).where(f.deleted == 0).order_by(f.address_int)
                )
            )
        found: list[Claim] = []
        start = 0
        for index in range(1, len(values) + 1):
            if index == len(values) or values[index] != values[index - 1] + 1:
                found += floating_range(self.store.service_name, values[start], values[index - 1])
                start = index
        return found

    # --- project side -------------------------------------------------------------------

    def allocate(
        self,
        context: RequestContext,
        project_id: str | None = None,
        pool: str | None = None,
        *,
        auto_assigned: bool = False,
    ) -> FloatingIpRecord:
        """Allocate from a pool; see ``FloatingAllocations.allocate``."""
        return self.allocations.allocate(context, project_id, pool, auto_assigned=auto_assigned)

    def deallocate(
        self, context: RequestContext, floating_address: str, *, affect_auto_assigned: bool = False
    ) -> bool:
        """Give an address back; see ``FloatingAllocations.deallocate``."""
        return self.allocations.deallocate(
            context, floating_address, affect_auto_assigned=affect_auto_assigned
        )

    def usage(self, project_id: str) -> int:
        """What counts against the project's quota; see ``FloatingAllocations.usage``."""
        return self.allocations.usage(project_id)

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
        """See ``FloatingAssociations.associate``."""
        return self.associations.associate(
            context,
            floating_address,
            fixed_address,
            host,
            affect_auto_assigned=affect_auto_assigned,
            bind=bind,
        )

    def disassociate(
        self,
        context: RequestContext,
        floating_address: str,
        *,
        affect_auto_assigned: bool = False,
        unbind: UnbindCallback | None = None,
    ) -> str:
        """See ``FloatingAssociations.disassociate``."""
        return self.associations.disassociate(
            context, floating_address, affect_auto_assigned=affect_auto_assigned, unbind=unbind
        )

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
        """See ``FloatingAssociations.auto_assign_floating_ip``."""
        return self.associations.auto_assign_floating_ip(
            context, fixed_address, pool, project_id=project_id, host=host, bind=bind
        )

    def release_for_instance(
        self,
        fixed_addresses: Sequence[str],
        *,
        unbind: UnbindCallback | None = None,
        session: orm.Session | None = None,
    ) -> list[BoundFloatingIp]:
        """On instance delete; see ``FloatingAssociations.release_for_instance``."""
        return self.associations.release_for_instance(
            fixed_addresses, unbind=unbind, session=session
        )

    # --- hosts ----------------------------------------------------------------------------

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
        """See ``FloatingHosts.migrate_instance_start``."""
        return self.hosts.migrate_instance_start(
            context, floating_addresses, source, dest, instance_id=instance_id, unbind=unbind
        )

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
        """See ``FloatingHosts.migrate_instance_finish``."""
        return self.hosts.migrate_instance_finish(
            context, floating_addresses, dest, source, instance_id=instance_id, bind=bind
        )

    def bound_on_host(self, host: str, *, network_id: int | None = None) -> list[BoundFloatingIp]:
        """For init_host; see ``FloatingHosts.bound_on_host``."""
        return self.hosts.bound_on_host(host, network_id=network_id)

    # --- getters --------------------------------------------------------------------------

    def get_floating_ip(
        self, floating_ip_id: int, *, context: RequestContext | None = None
    ) -> FloatingIpRecord:
        """See ``FloatingLookups.get_floating_ip``."""
        return self.lookups.get_floating_ip(floating_ip_id, context=context)

    def get_floating_ip_by_address(
        self, address: str, *, context: RequestContext | None = None
    ) -> FloatingIpRecord:
        """See ``FloatingLookups.get_floating_ip_by_address``."""
        return self.lookups.get_floating_ip_by_address(address, context=context)

    def get_floating_ip_pools(self) -> list[str]:
        """See ``FloatingLookups.get_floating_ip_pools``."""
        return self.lookups.get_floating_ip_pools()

    def get_floating_ips_by_fixed_address(self, fixed_address: str) -> list[str]:
        """See ``FloatingLookups.get_floating_ips_by_fixed_address``."""
        return self.lookups.get_floating_ips_by_fixed_address(fixed_address)

    def get_floating_ips_by_project(self, project_id: str) -> list[FloatingIpRecord]:
        """See ``FloatingLookups.get_floating_ips_by_project``."""
        return self.lookups.get_floating_ips_by_project(project_id)

    def get_instance_id_by_floating_address(
        self, address: str, *, context: RequestContext | None = None
    ) -> str | None:
        """See ``FloatingLookups.get_instance_id_by_floating_address``."""
        return self.lookups.get_instance_id_by_floating_address(address, context=context)

    # Last: a method named list would shadow the builtin in the annotations below it.
    def list(
        self,
        host: str | None = None,
        *,
        pool: str | None = None,
        allocated: bool | None = None,
        limit: int | None = None,
        marker: str | None = None,
    ) -> list[FloatingIpRecord]:
        """``floating list``; see ``FloatingRanges.list``."""
        return self.ranges.list(host, pool=pool, allocated=allocated, limit=limit, marker=marker)
