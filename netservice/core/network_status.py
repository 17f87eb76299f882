"""Each network's status as its net-services last found it: ACTIVE, ERROR or BUILD.

A reconciler converges every network on its own, so one bad network does
not hold back the others.  ``StatusReporter`` is what it tells operators
about each outcome:

- the log gets one line when a network starts failing, fails differently or
  recovers, not one on every pass;
- the core table ``network_statuses`` gets the outcome, once per change,
  where the API shows it to admins (``summarize``).

The table lives in the core, keyed by (service, network id, host), rather
than as columns of each plugin's networks table:

- every plugin with a net-service gets it without a migration, a model or
  code of its own (a plugin from outside the repository too);
- every host serves a multi_host network, and each says how it went there;
- it is observed state, written by reconcilers on network hosts that may be
  other machines: their writes never touch the rows operators edit, nor
  bump the ``updated_at`` that the reconcilers read changes by.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Hashable, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from netservice.core import exceptions
from netservice.core.db.model_base import utcnow
from netservice.core.db.models import NetworkStatus
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database

LOG = logging.getLogger(__name__)

ACTIVE = "ACTIVE"
"""The host converged the network on its last try."""
ERROR = "ERROR"
"""The host's last try failed; ``error`` says why."""
BUILD = "BUILD"
"""No serving host has reported on the network yet (new, moved or just modified)."""

MAX_ERROR = 1024


@dataclasses.dataclass(frozen=True)
class HostStatus:
    """One host's word on one network."""

    host: str
    status: str
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class Status:
    """What the API shows for a network."""

    status: str
    error: str | None = None


def summarize(reports: Sequence[HostStatus], hosts: Collection[str] | None) -> Status:
    """One network's status from its hosts' reports.

    ``hosts``: the hosts that serve it now (its ``host``, or none yet);
    None for a multi_host network, which every reporting host serves.  Any
    ERROR wins, naming each failing host; no report at all is BUILD.
    """
    relevant = [r for r in reports if hosts is None or r.host in hosts]
    if not relevant:
        return Status(BUILD)
    failing = sorted((r for r in relevant if r.status == ERROR), key=lambda r: r.host)
    if failing:
        return Status(ERROR, "; ".join(f"{r.host}: {r.error}" for r in failing))
    return Status(ACTIVE)


def clear(conn: sa.Connection, service: str, network_id: int | str) -> None:
    """Forget every host's report on a network, in the caller's transaction.

    Called when the network's data-plane settings change or it is deleted,
    so the API says BUILD until a reconciler has tried the new settings.
    """
    conn.execute(
        sa.delete(NetworkStatus).where(
            NetworkStatus.service == service, NetworkStatus.network_id == str(network_id)
        )
    )


class NetworkStatuses:
    """The reports of one service's networks.  Each method is one transaction."""

    def __init__(self, db: Database, service: str) -> None:
        self.db = db
        self.service = service

    def read(self, network_ids: Iterable[int | str]) -> dict[str, list[HostStatus]]:
        """Every host's report on each of ``network_ids`` (absent: no report)."""
        ids = sorted({str(i) for i in network_ids})
        if not ids:
            return {}
        t = NetworkStatus
        query = sa.select(t.network_id, t.host, t.status, t.error).where(
            t.service == self.service, t.network_id.in_(ids)
        )
        found: dict[str, list[HostStatus]] = {}
        with self.db.autocommit_connection() as conn:
            for row in conn.execute(query):
                found.setdefault(row.network_id, []).append(
                    HostStatus(row.host, row.status, row.error)
                )
        return found

    def of_host(self, host: str) -> dict[str, HostStatus]:
        """``host``'s reports, by network id."""
        t = NetworkStatus
        query = sa.select(t.network_id, t.status, t.error).where(
            t.service == self.service, t.host == host
        )
        with self.db.autocommit_connection() as conn:
            return {
                row.network_id: HostStatus(host, row.status, row.error)
                for row in conn.execute(query)
            }

    @retry_on_deadlock
    def set(self, network_id: str, host: str, status: str, error: str | None = None) -> None:
        """Record ``host``'s report on a network, replacing its previous one."""
        if error is not None and len(error) > MAX_ERROR:
            error = error[: MAX_ERROR - 3] + "..."
        t = NetworkStatus
        mine = sa.and_(t.service == self.service, t.network_id == network_id, t.host == host)
        values = {"status": status, "error": error, "updated_at": utcnow()}
        try:
            with self.db.write_connection() as conn:
                if conn.execute(sa.update(t).where(mine).values(**values)).rowcount == 0:
                    conn.execute(
                        sa.insert(t).values(
                            service=self.service, network_id=network_id, host=host, **values
                        )
                    )
        except (exceptions.DuplicateEntry, sa_exc.IntegrityError) as err:
            # The engine's filters classify the unique key's refusal as
            # DuplicateEntry; an unfiltered engine raises IntegrityError.
            # Only one net-service per host writes a host's rows; two processes
            # configured with the same host name would race here.
            raise exceptions.Conflict(
                reason=f"another process reports on network {network_id} as host {host}"
            ) from err

    @retry_on_deadlock
    def remove(self, network_id: str, host: str) -> None:
        """Drop ``host``'s report on a network it no longer serves.  Absent is fine."""
        t = NetworkStatus
        with self.db.write_connection() as conn:
            conn.execute(
                sa.delete(t).where(
                    t.service == self.service, t.network_id == network_id, t.host == host
                )
            )


_UNKNOWN = object()


@dataclasses.dataclass
class _Reported:
    status: str
    error: str | None
    version: object


class StatusReporter:
    """Logs and stores each network's outcome on one host, once per change.

    ``version`` is whatever identifies the settings a pass tried (the
    network's spec): a network whose settings changed is reported again,
    since changing them cleared its reports (``clear``).  A failure to store
    a report is logged and retried with the next report; it never fails the
    pass.  Not thread-safe: the reconciler's lock covers it.
    """

    def __init__(
        self, store: NetworkStatuses | None, host: str, log: logging.Logger = LOG
    ) -> None:
        self.store = store
        self.host = host
        self.log = log
        self._logged: dict[str, str | None] = {}
        self._stored: dict[str, _Reported] | None = None

    def converged(self, network_id: str, name: str, version: Hashable = None) -> None:
        """The network converged on this pass."""
        before = self._logged.get(network_id)
        if before is not None:
            self.log.info("%s converged again (it had failed: %s)", name, before)
        self._logged[network_id] = None
        self._store(network_id, ACTIVE, None, version)

    def failed(
        self,
        network_id: str,
        name: str,
        error: BaseException,
        version: Hashable = None,
        *,
        store: bool = True,
    ) -> None:
        """The network failed on this pass; logged only when the failure is new.

        ``store=False``: only log it (a network this host is removing).
        """
        text = describe(error)
        if self._logged.get(network_id) == text:
            self.log.debug("%s still fails: %s", name, text)
        else:
            # A domain error says all there is; anything else is a bug, so
            # its traceback is logged, once.
            self.log.error(
                "%s failed: %s (the other networks are not affected; retrying at the next "
                "change or resync)",
                name, text,
                exc_info=None if isinstance(error, exceptions.NetserviceError) else error,
            )  # fmt: skip
        self._logged[network_id] = text
        if store:
            self._store(network_id, ERROR, text, version)

    def gone(self, network_id: str) -> None:
        """This host no longer serves the network: forget it and drop its report."""
        self._logged.pop(network_id, None)
        if self.store is None:
            return
        stored = self._loaded()
        if stored is not None and stored.pop(network_id, None) is None:
            return
        self._write(network_id, None)

    def _store(self, network_id: str, status: str, error: str | None, version: object) -> None:
        stored = self._loaded()
        if stored is None:
            return
        last = stored.get(network_id)
        if last is not None and (last.status, last.error) == (status, error):
            if last.version is _UNKNOWN or last.version == version:
                last.version = version
                return
        if self._write(network_id, HostStatus(self.host, status, error)):
            stored[network_id] = _Reported(status, error, version)

    def _loaded(self) -> dict[str, _Reported] | None:
        """This host's reports, read once from the store (those of a previous process too)."""
        if self._stored is not None or self.store is None:
            return self._stored
        try:
            rows = self.store.of_host(self.host)
        except (sa_exc.SQLAlchemyError, exceptions.NetserviceError) as err:
            self.log.warning("could not read the network statuses of %s: %s", self.host, err)
            return None
        self._stored = {nid: _Reported(r.status, r.error, _UNKNOWN) for nid, r in rows.items()}
        return self._stored

    def _write(self, network_id: str, report: HostStatus | None) -> bool:
        if self.store is None:
            return False
        try:
            if report is None:
                self.store.remove(network_id, self.host)
            else:
                self.store.set(network_id, self.host, report.status, report.error)
        except (sa_exc.SQLAlchemyError, exceptions.NetserviceError) as err:
            self.log.warning("could not store the status of network %s: %s", network_id, err)
            return False
        return True


def describe(error: BaseException) -> str:
    """One line about ``error``: its message, or its type when it has none."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


__all__ = [
    "ACTIVE",
    "BUILD",
    "ERROR",
    "HostStatus",
    "NetworkStatuses",
    "Status",
    "StatusReporter",
    "clear",
    "describe",
    "summarize",
]
