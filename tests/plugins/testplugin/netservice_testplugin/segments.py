"""The test plugin's segments: the smallest plugin that claims through the registry.

A segment row and its claims are written in one ``Database.writer()``
transaction, so a refused claim leaves no row; deleting releases them in
the transaction that deletes the row.
"""

from __future__ import annotations

import sqlalchemy as sa

from netservice.core.plugin import PluginContext
from netservice.core.registry import Claim
from netservice.core.registry import claims as build
from netservice_testplugin.models import Segment


class Segments:
    def __init__(self, context: PluginContext) -> None:
        self.db = context.database
        self.service = context.name
        assert context.registry is not None  # the core always hands one
        self.registry = context.registry

    def create(
        self,
        *,
        cidr: str | None = None,
        bridge: str | None = None,
        vlan: int | None = None,
        vni: int | None = None,
        interface: str | None = None,
    ) -> int:
        """Write a segment and claim what it holds; ClaimConflict (409) writes nothing."""
        with self.db.writer() as session:
            row = Segment(
                service=self.service,
                cidr=cidr,
                bridge=bridge,
                vlan=vlan,
                vni=vni,
                interface=interface,
            )
            session.add(row)
            session.flush()
            self.registry.claim(session.connection(), self.claims_of(row))
            return int(row.id)

    def delete(self, segment_id: int) -> None:
        with self.db.writer() as session:
            session.execute(sa.delete(Segment).where(Segment.id == segment_id))
            self.registry.release(session.connection(), self.service, segment_id)

    def claims(self) -> list[Claim]:
        with self.db.transaction() as session:
            rows = session.scalars(
                sa.select(Segment).where(Segment.service == self.service).order_by(Segment.id)
            ).all()
            return [claim for row in rows for claim in self.claims_of(row)]

    def claims_of(self, row: Segment) -> list[Claim]:
        found: list[Claim] = []
        if row.cidr:
            found.append(build.fixed_range(self.service, row.id, row.cidr))
        if row.bridge:
            found.append(build.bridge(self.service, row.id, row.bridge, shared=False))
        if row.vlan is not None:
            found.append(build.segment(self.service, row.id, row.vlan, row.interface, vxlan=False))
        if row.vni is not None:
            found.append(build.segment(self.service, row.id, row.vni, row.interface, vxlan=True))
        return found
