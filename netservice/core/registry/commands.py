"""What ``netservice-manage registry list|check`` and ``db sync`` do with the registry."""

from __future__ import annotations

from collections.abc import Sequence

from netservice.core.db.retry import retry_on_deadlock
from netservice.core.manager import NetworkServiceManager
from netservice.core.registry import drift
from netservice.core.registry.claims import Claim
from netservice.core.registry.registry import Entry, Registry

HEADER = ("kind", "resource", "owner", "network")


def wanted(manager: NetworkServiceManager) -> dict[str, Sequence[Claim]]:
    """Each loaded plugin's ``registry_claims()``, by plugin name."""
    return {name: plugin.registry_claims() for name, plugin in manager}


def table(entries: Sequence[Entry]) -> list[str]:
    """``registry list``'s lines: a header row, then one claim a line, columns aligned."""
    rows = [HEADER, *((e.kind, e.resource, e.owner, e.network_id or "-") for e in entries)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
    return [
        "  ".join(f"{cell:<{widths[i]}}" for i, cell in enumerate(row[:-1])) + "  " + row[-1]
        for row in rows
    ]


def check(manager: NetworkServiceManager) -> list[str]:
    """``registry check``: the drift lines (none: the registry matches every plugin)."""
    registry = Registry(manager.database)
    with manager.database.transaction() as session:
        held = registry.held(session.connection())
    return drift.drift(held, wanted(manager))


@retry_on_deadlock
def sync(manager: NetworkServiceManager) -> int:
    """``db sync``'s backfill: claims what is missing, all or none.  Raises ClaimConflict."""
    registry = Registry(manager.database)
    claims = wanted(manager)
    with manager.database.write_connection() as conn:
        return drift.backfill(registry, conn, claims)
