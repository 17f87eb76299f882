"""Queries on the core's tables.

Each function taking a ``Database`` is one transaction; its writes retry a
lost deadlock (``netservice.core.db.retry``).  ``release_vnics`` instead
runs inside the caller's write transaction: a plugin deleting a VNIC drops
its instance rows in the same transaction as its own rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.core.db.models import InstanceVirtualNic, ProjectNetworkService
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database


def get_project_service(db: Database, project_id: str) -> str | None:
    """The project's associated service name, or None.

    Asked on every plugin request (the routing check), so one autocommit
    statement rather than a transaction.
    """
    with db.autocommit_connection() as conn:
        name: str | None = conn.scalar(
            sa.select(ProjectNetworkService.network_service).where(
                ProjectNetworkService.project_id == project_id,
                ProjectNetworkService.deleted == 0,
            )
        )
        return name


@retry_on_deadlock
def set_project_service(db: Database, project_id: str, service: str) -> None:
    """Associate the project with ``service``, replacing any association.

    The old row is soft-deleted and the new one inserted in one transaction.
    Idempotent: setting the current service changes nothing.  Raises
    Conflict when a concurrent change won the race.
    """
    try:
        with db.writer() as session:
            row = session.scalars(
                sa.select(ProjectNetworkService)
                .where(
                    ProjectNetworkService.project_id == project_id,
                    ProjectNetworkService.deleted == 0,
                )
                .with_for_update()
            ).first()
            if row is not None:
                if row.network_service == service:
                    return
                row.soft_delete(row.id)
                session.flush()
            session.add(ProjectNetworkService(project_id=project_id, network_service=service))
    except exceptions.DuplicateEntry as err:
        raise exceptions.Conflict(
            reason=f"project {project_id}'s network service was changed concurrently; retry"
        ) from err


@retry_on_deadlock
def delete_project_service(db: Database, project_id: str) -> bool:
    """Drop the association; returns False when there was none."""
    with db.writer() as session:
        row = session.scalars(
            sa.select(ProjectNetworkService).where(
                ProjectNetworkService.project_id == project_id,
                ProjectNetworkService.deleted == 0,
            )
        ).first()
        if row is None:
            return False
        row.soft_delete(row.id)
        return True


def list_instance_vnics(db: Database, instance_id: str) -> list[InstanceVirtualNic]:
    """The instance's live VNIC rows, in attach order."""
    with db.transaction() as session:
        return list(
            session.scalars(
                sa.select(InstanceVirtualNic)
                .where(
                    InstanceVirtualNic.instance_id == instance_id,
                    InstanceVirtualNic.deleted == 0,
                )
                .order_by(InstanceVirtualNic.id)
            )
        )


def count_project_instance_vnics(db: Database, project_id: str) -> int:
    with db.transaction() as session:
        return (
            session.scalar(
                sa.select(sa.func.count()).where(
                    InstanceVirtualNic.project_id == project_id, InstanceVirtualNic.deleted == 0
                )
            )
            or 0
        )


@retry_on_deadlock
def attach_vnics(
    db: Database, instance_id: str, project_id: str | None, vnic_ids: Sequence[str]
) -> list[InstanceVirtualNic]:
    """Record that the instance has these VNICs, all or none.

    Idempotent for VNICs already attached to this instance.  Raises VnicInUse
    for a VNIC attached to another instance.
    """
    try:
        with db.writer() as session:
            rows = session.scalars(
                sa.select(InstanceVirtualNic).where(
                    InstanceVirtualNic.virtual_nic_id.in_(list(vnic_ids)),
                    InstanceVirtualNic.deleted == 0,
                )
            ).all()
            existing = {row.virtual_nic_id: row for row in rows}
            added = []
            for vnic_id in vnic_ids:
                row = existing.get(vnic_id)
                if row is not None:
                    if row.instance_id != instance_id:
                        raise exceptions.VnicInUse(vnic_id=vnic_id, instance_id=row.instance_id)
                    continue
                new = InstanceVirtualNic(
                    instance_id=instance_id, virtual_nic_id=vnic_id, project_id=project_id
                )
                session.add(new)
                added.append(new)
                existing[vnic_id] = new
            return added
    except exceptions.DuplicateEntry as err:
        raise exceptions.Conflict(
            reason=f"a VNIC of {list(vnic_ids)} was attached concurrently; retry"
        ) from err


@retry_on_deadlock
def detach_vnics(db: Database, instance_id: str, vnic_ids: Sequence[str] | None = None) -> int:
    """Soft-delete the instance's rows (all, or those listed); returns how many.

    Idempotent: detaching what is not attached counts 0 and succeeds.
    """
    with db.writer() as session:
        query = sa.select(InstanceVirtualNic).where(
            InstanceVirtualNic.instance_id == instance_id, InstanceVirtualNic.deleted == 0
        )
        if vnic_ids is not None:
            query = query.where(InstanceVirtualNic.virtual_nic_id.in_(list(vnic_ids)))
        rows = session.scalars(query).all()
        for row in rows:
            row.soft_delete(row.id)
        return len(rows)


def release_vnics(conn: sa.Connection, vnic_ids: Sequence[str]) -> int:
    """Soft-delete every instance's rows of these VNICs; returns how many.

    For a plugin deleting VNICs: call it with the connection of the write
    transaction that deletes them (``Database.writer()`` or
    ``write_connection()``), so the instance rows go in the same commit.
    Idempotent.
    """
    row = InstanceVirtualNic
    result = conn.execute(
        sa.update(row)
        .where(row.virtual_nic_id.in_(list(vnic_ids)), row.deleted == 0)
        .values(deleted=row.id, deleted_at=utcnow())
    )
    return int(result.rowcount or 0)
