"""VNICs (ethernet cards): create, read, delete, and nova's lookups by VNIC.

A VNIC lives on one network and belongs to one project.  Another project's
VNIC is reported as missing (VnicNotFound, 404) unless the caller is an
admin.  ``netservice.networks.vnics.Vnics`` adds the ports on top.

Every VNIC a method returns is a ``netservice.networks.domain.Vnic``: frozen,
detached from the session, with its network's uuid and its fixed IP.
"""

from __future__ import annotations

import logging
import random
import re
import uuid as uuidlib
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database
from netservice.networks.domain import Vnic
from netservice.networks.queries import NetworkQueries
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology

LOG = logging.getLogger(__name__)

MAC_PREFIX = "fa:16:3e"
MAC_ATTEMPTS = 5
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


class MacAddressExhausted(exceptions.Conflict):
    msg_fmt = "Could not create a unique MAC address after %(attempts)s attempts"


def random_mac() -> str:
    """A ``fa:16:3e:xx:xx:xx`` address (nova's and neutron's OUI)."""
    tail = ":".join(f"{random.randint(0, 255):02x}" for _ in range(3))  # noqa: S311 - not crypto
    return f"{MAC_PREFIX}:{tail}"


def unique_mac(taken: Callable[[str], bool]) -> str:
    """A ``random_mac`` that ``taken`` says is free, drawn up to MAC_ATTEMPTS times.

    Raises MacAddressExhausted (409) when every draw was taken.
    """
    for _ in range(MAC_ATTEMPTS):
        mac = random_mac()
        if not taken(mac):
            return mac
        LOG.info("MAC %s is taken; drawing another", mac)
    raise MacAddressExhausted(attempts=MAC_ATTEMPTS)


class Cards:
    """One plugin's ethernet-card rows."""

    def __init__(
        self, db: Database, schema: Schema, topology: Topology, networks: NetworkQueries
    ) -> None:
        self.db = db
        self.schema = schema
        self.topology = topology
        self.networks = networks

    def create(
        self,
        context: RequestContext,
        *,
        network: str | None = None,
        instance_id: str | None = None,
        project_id: str | None = None,
    ) -> Vnic:
        """Create a VNIC; see ``create_on``."""
        card, _ = self.create_on(
            context, network=network, instance_id=instance_id, project_id=project_id
        )
        return card

    @retry_on_deadlock
    def create_on(
        self,
        context: RequestContext,
        *,
        network: str | None = None,
        instance_id: str | None = None,
        project_id: str | None = None,
    ) -> tuple[Vnic, Any]:
        """Create a VNIC with a unique ``fa:16:3e`` MAC, returning it and its network.

        ``network`` (uuid, cidr or id) defaults to ``_project_network``, else
        the project's own network, else the first unassigned one.  An admin
        may create it for ``project_id``.  A MAC collision is retried up
        to five times, then MacAddressExhausted (409).  A project served by
        another service is WrongNetworkService (409), admins included.
        """
        owner = project_id if (project_id and context.is_admin) else context.project_id
        if owner is None:
            raise exceptions.NotAuthorized()
        network = network or self._project_network(owner)
        explicit = self.networks.get(network) if network else None
        if explicit is not None and not context.is_admin:
            if explicit.project_id not in (None, owner):
                raise exceptions.NotFound(f"Network {network} could not be found.")
        vnic = self.schema.vnic
        for _ in range(MAC_ATTEMPTS):
            values: dict[str, Any] = {
                "id": str(uuidlib.uuid4()),
                "mac": random_mac(),
                "project_id": owner,
                "instance_id": instance_id,
                "created_at": utcnow(),
                "deleted": 0,
            }
            try:
                # One write transaction holding the project's shared lock
                # (netservice.core.serving), so a project moved to another
                # service meanwhile either counts this VNIC or refuses it.
                with self.db.write_connection() as conn:
                    self.networks.claim_project(conn, owner, self.topology.name)
                    target: Any = (
                        explicit if explicit is not None else self._default_network(conn, owner)
                    )
                    values["network_id"] = target.id
                    conn.execute(sa.insert(vnic).values(**values))
            except (exceptions.DuplicateEntry, exceptions.ReferenceNotFound) as err:
                if not self._mac_taken(values["mac"]):
                    raise exceptions.NotFound(
                        f"Network {values.get('network_id')} could not be found."
                    ) from err
                LOG.info("MAC %s is taken; drawing another", values["mac"])
                continue
            card = Vnic(
                id=values["id"],
                mac=values["mac"],
                network_uuid=target.uuid,
                project_id=owner,
                instance_id=instance_id,
                network_id=target.id,
                created_at=values["created_at"],
            )
            return card, target
        raise MacAddressExhausted(attempts=MAC_ATTEMPTS)

    def _project_network(self, project_id: str) -> str | None:
        """The network (id, uuid or cidr) a VNIC created without one goes on.

        None (the default): the project's own network, else the first
        unassigned one.  A topology that gives projects networks (VLAN)
        overrides it.
        """
        return None

    def _default_network(self, conn: sa.Connection, project_id: str) -> Any:
        """The project's own network, else the first unassigned one.  Raises NotFound."""
        net = self.schema.network
        query = (
            sa.select(net)
            .where(
                net.deleted == 0, sa.or_(net.project_id == project_id, net.project_id.is_(None))
            )
            # The project's own first (NULLs last on every backend), then by id.
            .order_by(net.project_id.is_(None), net.id)
            .limit(1)
        )
        network = conn.execute(query).first()
        if network is None:
            raise exceptions.NotFound(
                f"No {self.topology.name} network is available to project {project_id}."
            )
        return network

    def _mac_taken(self, mac: str) -> bool:
        vnic = self.schema.vnic
        with self.db.autocommit_connection() as conn:
            found = conn.scalar(sa.select(vnic.id).where(vnic.mac == mac, vnic.deleted == 0))
        return found is not None

    def _read(self, *where: Any) -> list[Vnic]:
        """The live VNICs matching ``where``, oldest first, with network uuid and address."""
        vnic, net, fixed = self.schema.vnic, self.schema.network, self.schema.fixed_ip
        query = (
            sa.select(vnic, net.uuid, fixed.address)
            .join(net, net.id == vnic.network_id)
            .outerjoin(fixed, sa.and_(fixed.vnic_id == vnic.id, fixed.allocated.is_(True)))
            .where(vnic.deleted == 0, *where)
            .order_by(vnic.created_at)
        )
        with self.db.transaction() as session:
            rows = session.execute(query).all()
        return [Vnic.from_row(card, uuid, address) for card, uuid, address in rows]

    def _visible(self, context: RequestContext, ref: str, *where: Any) -> Vnic:
        """The one VNIC matching ``where`` the caller may see; VnicNotFound names ``ref``."""
        found = self._read(*where)
        if not found or (not context.is_admin and found[0].project_id != context.project_id):
            raise exceptions.VnicNotFound(vnic_id=ref)
        return found[0]

    def get(self, context: RequestContext, vnic_id: str) -> Vnic:
        """A live VNIC the caller may see.  Raises VnicNotFound (404)."""
        return self._visible(context, vnic_id, self.schema.vnic.id == vnic_id)

    # --- lookups (nova's FlatManager's) ---------------------------------------------

    def get_vifs_by_instance(self, context: RequestContext, instance_id: str) -> list[Vnic]:
        vnic = self.schema.vnic
        where = [vnic.instance_id == instance_id]
        if not context.is_admin:
            where.append(vnic.project_id == context.project_id)
        return self._read(*where)

    def get_vif_by_mac_address(self, context: RequestContext, mac: str) -> Vnic:
        """Raises InvalidInput for a malformed MAC and VnicNotFound for an unknown one."""
        mac = mac.lower()
        if not _MAC.match(mac):
            raise exceptions.InvalidInput(
                field="mac_address", reason=f"{mac!r} is not a MAC address"
            )
        return self._visible(context, mac, self.schema.vnic.mac == mac)

    def get_instance_uuids_by_ip_filter(self, filters: dict[str, str]) -> list[dict[str, str]]:
        """Instances whose fixed IP matches the regular expression ``filters['ip']``.

        Returns ``[{"instance_uuid": ..., "ip": ...}]`` as nova did.
        """
        try:
            pattern = re.compile(filters.get("ip", ""))
        except re.error as err:
            raise exceptions.InvalidInput(
                field="ip", reason=f"bad regular expression: {err}"
            ) from err
        fixed = self.schema.fixed_ip
        query = sa.select(fixed.instance_id, fixed.address).where(
            fixed.allocated.is_(True), fixed.instance_id.is_not(None)
        )
        with self.db.transaction() as session:
            rows = session.execute(query.order_by(fixed.address_int)).all()
        return [{"instance_uuid": i, "ip": a} for i, a in rows if pattern.search(a)]

    def networks_of(self, cards: Sequence[Vnic]) -> dict[int, Any]:
        """The networks of ``cards``, by id."""
        net = self.schema.network
        with self.db.transaction() as session:
            rows = session.scalars(sa.select(net).where(net.id.in_({c.network_id for c in cards})))
            return {row.id: row for row in rows}

    def network_of(self, card: Vnic) -> Any:
        """The VNIC's network (what every VNIC service answers, ``RemoteVnics`` too)."""
        net = self.schema.network
        where = net.id == card.network_id
        if card.network_id is None:  # a VNIC built elsewhere knows only the uuid
            where = sa.and_(net.uuid == card.network_uuid, net.deleted == 0)
        with self.db.transaction() as session:
            return session.scalars(sa.select(net).where(where)).one()
