"""Columns every table in the project carries, for the core and the plugins."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import orm


def utcnow() -> datetime.datetime:
    """Naive UTC, the one form every supported backend stores the same way."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class SoftDeleteMixin:
    """``created_at``, ``updated_at``, ``deleted_at`` and ``deleted``.

    Live rows have ``deleted == 0``.  A soft-deleted row gets ``deleted = id``,
    nova's convention, so a unique constraint over ``(key, deleted)`` allows
    one live row per key and any number of deleted ones.
    """

    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, nullable=False
    )
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, onupdate=utcnow, nullable=True
    )
    deleted_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, nullable=True
    )
    deleted: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0, nullable=False)

    def soft_delete(self, row_id: int) -> None:
        """Mark the row deleted; the caller's transaction writes it."""
        self.deleted = row_id
        self.deleted_at = utcnow()
