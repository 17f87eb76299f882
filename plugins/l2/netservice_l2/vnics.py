"""The l2 VNICs: a generated MAC bound to one segment, nothing else.

Every VNIC a method returns is a ``netservice.networks.domain.Vnic`` whose
``network_uuid`` is its segment's id (``network_id`` None: l2 keeps no row
id apart from it), with no address.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db.retry import retry_on_deadlock
from netservice.networks.cards import unique_mac
from netservice.networks.domain import Vnic

from netservice_l2.models import L2Network, L2Vnic
from netservice_l2.networks import L2Networks


class L2Vnics:
    def __init__(self, networks: L2Networks) -> None:
        self.networks = networks
        self.db = networks.db

    @staticmethod
    def _vnic(row: L2Vnic) -> Vnic:
        return Vnic(id=row.id, mac=row.mac, network_uuid=row.network_id,
                    project_id=row.project_id, instance_id=row.instance_id)  # fmt: skip

    @retry_on_deadlock
    def create(
        self,
        context: RequestContext,
        network_id: str | None = None,
        project_id: str | None = None,
        instance_id: str | None = None,
    ) -> Vnic:
        """A VNIC on ``network_id`` (default: the project's own network, else the first shared).

        NotFound (404) when the network is not visible to the project; the
        project routing rule applies (WrongNetworkService, 409).  Not idempotent.
        """
        owner = project_id or context.project_id or ""
        if network_id is not None:
            network = self.networks.get(context, network_id)
        else:
            usable = sorted(self.networks.list(context), key=lambda n: n.project_id is None)
            if not usable:
                raise exceptions.NotFound(message="no l2 network is available to the project")
            network = usable[0]
        with self.db.writer() as session:
            if self.networks.projects is not None:
                self.networks.projects.claim(session.connection(), owner, self.networks.name)
            # The network's row lock orders this against its delete, which
            # counts the VNICs under the same lock.
            if session.get(L2Network, network.id, with_for_update=True) is None:
                raise exceptions.NotFound(message=f"l2 network {network.id} is gone")
            row = L2Vnic(
                id=str(uuid.uuid4()),
                network_id=network.id,
                project_id=owner,
                mac=unique_mac(
                    lambda mac: (
                        session.scalar(sa.select(L2Vnic.id).where(L2Vnic.mac == mac)) is not None
                    )
                ),
                instance_id=instance_id,
            )
            session.add(row)
            return self._vnic(row)

    def get(self, context: RequestContext, vnic_id: str) -> Vnic:
        """The VNIC; VnicNotFound (404) when absent or another project's (admins see all)."""
        with self.db.transaction() as session:
            row = session.get(L2Vnic, vnic_id)
            if row is None or (not context.is_admin and row.project_id != context.project_id):
                raise exceptions.VnicNotFound(vnic_id=vnic_id)
            return self._vnic(row)

    def network_of(self, vnic: Vnic) -> L2Network:
        """The VNIC's segment (``netservice.compute.remote.RemoteVnics`` answers it too)."""
        return self.networks.get(None, vnic.network_uuid)

    def list(self, context: RequestContext) -> Sequence[Vnic]:
        query = sa.select(L2Vnic).order_by(L2Vnic.id)
        if not context.is_admin:
            query = query.where(L2Vnic.project_id == context.project_id)
        with self.db.transaction() as session:
            return [self._vnic(row) for row in session.scalars(query)]

    @retry_on_deadlock
    def delete(self, context: RequestContext, vnic_id: str) -> None:
        """Delete the VNIC; VnicNotFound when it is already gone."""
        row = self.get(context, vnic_id)
        with self.db.writer() as session:
            session.execute(sa.delete(L2Vnic).where(L2Vnic.id == row.id))

    def count(self, project_id: str) -> dict[str, int]:
        with self.db.transaction() as session:
            found = session.scalar(
                sa.select(sa.func.count()).where(L2Vnic.project_id == project_id)
            )
        return {"vnics": int(found or 0)}
