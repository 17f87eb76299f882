"""dnsmasq's lease callbacks (through ``netservice-dhcpbridge``) for DHCP topologies.

``lease`` marks a fixed IP leased, ``release`` ends the lease and frees an
address that is no longer allocated, ``leases`` answers dnsmasq's ``init``.
Nothing here raises for an unknown MAC or address: dnsmasq only logs the
script's status, so a warning is the useful answer.
"""

from __future__ import annotations

import calendar
import logging
from typing import Any

import sqlalchemy as sa

from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database
from netservice.core.dhcp import DhcpLeaseHandler, Lease
from netservice.dhcp.state import hostname

LOG = logging.getLogger(__name__)


class DhcpLeaseCallbacks(DhcpLeaseHandler):
    """Lease and release for one plugin's tables, through its allocator."""

    def __init__(self, db: Database, tables: Any, allocator: Any, *, lease_time: int) -> None:
        self.db = db
        self.t = tables
        self.allocator = allocator
        self.lease_time = lease_time

    def _row(self, conn: sa.Connection, network_id: int, ip: str) -> Any:
        f, v = self.t.fixed_ip, self.t.vnic
        return conn.execute(
            sa.select(f.vnic_id, f.allocated, v.mac)
            .outerjoin(v, v.id == f.vnic_id)
            .where(f.network_id == network_id, f.address == ip)
        ).first()

    @staticmethod
    def _network(network_id: str) -> int | None:
        """The id in dnsmasq's ``NETSERVICE_NETWORK_ID`` (``<service>-<id>``, or ``<id>``)."""
        tail = network_id.rsplit("-", 1)[-1]
        if tail.isdigit():
            return int(tail)
        LOG.warning("ignoring a lease event for malformed network id %r", network_id)
        return None

    def _event_row(self, conn: sa.Connection, nid: int, mac: str, ip: str, event: str) -> Any:
        """The fixed IP the event is about, or None (logged) when it is not this MAC's."""
        row = self._row(conn, nid, ip)
        if row is None:
            LOG.warning("%s of %s by %s: no such fixed IP in network %s", event, ip, mac, nid)
            return None
        if row.mac is not None and row.mac != mac.lower():
            # The address went to another VNIC since; the event is not about it.
            LOG.info("%s of %s by %s ignored: it now belongs to %s", event, ip, mac, row.mac)
            return None
        return row

    @retry_on_deadlock
    def lease(self, network_id: str, mac: str, ip: str, hostname: str | None) -> None:
        nid = self._network(network_id)
        if nid is None:
            return
        with self.db.write_connection() as conn:
            if self._event_row(conn, nid, mac, ip, "lease") is None:
                return
            if not self.allocator.lease(conn, nid, ip):
                LOG.warning("%s leased %s, which is not allocated", mac, ip)

    @retry_on_deadlock
    def release(self, network_id: str, mac: str, ip: str) -> None:
        nid = self._network(network_id)
        if nid is None:
            return
        with self.db.write_connection() as conn:
            row = self._event_row(conn, nid, mac, ip, "release")
            if row is not None:
                self.allocator.release(conn, nid, ip, vnic_id=row.vnic_id)

    def leases(self, network_id: str) -> list[Lease]:
        nid = self._network(network_id)
        if nid is None:
            return []
        f, v = self.t.fixed_ip, self.t.vnic
        with self.db.autocommit_connection() as conn:
            rows = conn.execute(
                sa.select(v.mac, f.address, f.instance_id, f.updated_at, f.created_at)
                .join(v, v.id == f.vnic_id)
                .where(f.network_id == nid, f.leased.is_(True))
                .order_by(f.address_int)
            ).all()
        result = []
        for row in rows:
            since = row.updated_at or row.created_at
            expiry = calendar.timegm(since.timetuple()) + self.lease_time
            result.append(
                Lease(expiry, row.mac, row.address, hostname(row.instance_id, row.address))
            )
        return result
