"""The l2 networks: segments claimed in the core registry, with no addresses.

Each write runs in one ``Database.writer()`` transaction holding the row,
its registry claims and the project routing check, so a refused claim
(ClaimConflict, 409, naming both holders) or a project of another service
(WrongNetworkService, 409) writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from netservice.core import exceptions, validation
from netservice.core.context import RequestContext
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.plugin import PluginContext
from netservice.core.registry import Claim
from netservice.core.registry import claims as build
from netservice.linux import validate

from netservice_l2.models import KINDS, L2Network, L2Vnic


class NetworkNotFound(exceptions.NotFound):
    msg_fmt = "l2 network %(network_id)s could not be found."


def default_bridge(kind: str, segment: int | None) -> str | None:
    """``l2v<N>`` for a VLAN, ``l2x<VNI>`` for a VXLAN: never another plugin's default."""
    return {"vlan": f"l2v{segment}", "vxlan": f"l2x{segment}"}.get(kind)


def check(kind: str, bridge: str | None, segment: int | None, interface: str | None) -> str:
    """The bridge name, once ``kind``'s rules hold; InvalidInput (400) naming the field."""
    if kind not in KINDS:
        raise exceptions.InvalidInput(field="kind", reason=f"must be one of {', '.join(KINDS)}")
    if kind == "bridge" and segment is not None:
        raise exceptions.InvalidInput(field="segment", reason="a bridge network has none")
    if kind == "vlan":
        validate.vlan_id(segment if segment is not None else -1, "segment")
    if kind == "vxlan":
        validate.vni(segment if segment is not None else -1, "segment")
    if kind != "bridge" and not interface:
        raise exceptions.InvalidInput(field="interface", reason=f"a {kind} network needs one")
    name = bridge or default_bridge(kind, segment)
    if not name:
        raise exceptions.InvalidInput(field="bridge", reason="a bridge network needs one")
    if interface:
        validate.ifname(interface, "interface")
    return validate.ifname(name, "bridge")


class L2Networks:
    def __init__(self, context: PluginContext) -> None:
        assert context.registry is not None  # the core always hands one
        self.db = context.database
        self.name = context.name
        self.registry = context.registry
        self.projects = context.projects
        self.notifier = context.notifier

    def claims_of(self, row: L2Network) -> list[Claim]:
        """The bridge (this network's alone) and, for vlan/vxlan, the segment on its interface."""
        found: list[Claim] = [build.bridge(self.name, row.id, row.bridge, shared=False)]
        if row.segment is not None:
            vxlan = row.kind == "vxlan"
            found.append(build.segment(self.name, row.id, row.segment, row.interface, vxlan=vxlan))
        return found

    def claims(self) -> list[Claim]:
        return [claim for row in self.list(None) for claim in self.claims_of(row)]

    @retry_on_deadlock
    def create(
        self,
        *,
        label: str,
        kind: str = "bridge",
        bridge: str | None = None,
        segment: int | None = None,
        interface: str | None = None,
        project_id: str | None = None,
    ) -> L2Network:
        """Write the network and claim its bridge and segment.  Not idempotent."""
        label = validation.label(label)
        name = check(kind, bridge, segment, interface)
        row = L2Network(
            id=str(uuid.uuid4()),
            label=label,
            project_id=project_id,
            kind=kind,
            bridge=name,
            segment=segment,
            interface=interface,
        )
        with self.db.writer() as session:
            if project_id and self.projects is not None:
                self.projects.claim(session.connection(), project_id, self.name)
            # Claims first, so a taken bridge is a 409 naming its holder,
            # not the unique constraint's anonymous one.
            self.registry.claim(session.connection(), self.claims_of(row))
            session.add(row)
            if self.notifier is not None:
                self.notifier.notify(session, self.name, row.id)
        return row

    def list(self, context: RequestContext | None) -> Sequence[L2Network]:
        """Every network (``context`` None, or an admin's), else the shared and the project's."""
        query = sa.select(L2Network).order_by(L2Network.label, L2Network.id)
        if context is not None and not context.is_admin:
            mine = L2Network.project_id == context.project_id
            query = query.where(sa.or_(L2Network.project_id.is_(None), mine))
        with self.db.transaction() as session:
            return list(session.scalars(query))

    def get(self, context: RequestContext | None, network_id: str) -> L2Network:
        with self.db.transaction() as session:
            row = session.get(L2Network, network_id)
        if row is None or not (
            context is None or context.is_admin or row.project_id in (None, context.project_id)
        ):
            raise NetworkNotFound(network_id=network_id)
        return row

    @retry_on_deadlock
    def update(self, network_id: str, **values: str | None) -> L2Network:
        """Change ``label`` or ``project_id`` (None: shared); the segment never changes.

        InUse (409) for a change of project while VNICs plug into the network:
        they would stay with a project that no longer owns it.
        """
        if "label" in values:
            values["label"] = validation.label(values["label"])
        with self.db.writer() as session:
            row = session.get(L2Network, network_id, with_for_update=True)
            if row is None:
                raise NetworkNotFound(network_id=network_id)
            project = values.get("project_id")
            if "project_id" in values and project != row.project_id:
                _refuse_in_use(session, network_id, "change its project")
            if project and self.projects is not None:
                self.projects.claim(session.connection(), project, self.name)
            for key, value in values.items():
                setattr(row, key, value)
            session.flush()
            session.expunge(row)
        return row

    @retry_on_deadlock
    def delete(self, network_id: str) -> None:
        """Delete the network and release its claims; InUse (409) while VNICs plug into it."""
        with self.db.writer() as session:
            # Locked, so a VNIC being made on it either counts here or finds it gone.
            if session.get(L2Network, network_id, with_for_update=True) is None:
                raise NetworkNotFound(network_id=network_id)
            _refuse_in_use(session, network_id, "delete it")
            session.execute(sa.delete(L2Network).where(L2Network.id == network_id))
            self.registry.release(session.connection(), self.name, network_id)
            if self.notifier is not None:
                self.notifier.notify(session, self.name, network_id)


def _refuse_in_use(session: sa.orm.Session, network_id: str, doing: str) -> None:
    """InUse (409) when VNICs plug into the network (its row locked by the caller)."""
    held = session.scalar(sa.select(sa.func.count()).where(L2Vnic.network_id == network_id))
    if held:
        raise exceptions.InUse(
            resource=f"l2 network {network_id}",
            reason=f"{held} VNIC(s) plug into it; delete them to {doing}",
        )
