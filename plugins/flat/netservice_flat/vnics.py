"""VNICs (ethernet cards) and their ports: binding a VNIC to a fixed IP.

A VNIC lives on one network and belongs to one project.  Binding gives it
one fixed IP on that network; Flat frees the address at once on unbind.
Another project's VNIC is reported as missing (VnicNotFound, 404) unless the
caller is an admin.
"""

from __future__ import annotations

import logging
import random
import re
import types
import uuid as uuidlib
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db.model_base import utcnow
from netservice.core.db.session import Database
from netservice.ipam.allocator import Allocator, LockedNetwork
from netservice.ipam.exceptions import FixedIpQuotaExceeded
from sqlalchemy import exc as sa_exc

from netservice_flat.models import EthernetCard, FlatIpAddress, FlatNetwork
from netservice_flat.networks import FlatNetworks

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


class FlatVnics:
    """Ethernet cards and their fixed IPs."""

    def __init__(
        self, db: Database, allocator: Allocator, networks: FlatNetworks, config: Any, host: str
    ) -> None:
        self.db = db
        self.allocator = allocator
        self.networks = networks
        self.config = config
        self.host = host
        self._bound = sa.select(FlatIpAddress.address).where(
            FlatIpAddress.vnic_id == sa.bindparam("vnic"), FlatIpAddress.allocated.is_(True)
        )
        cards, nets = EthernetCard.__table__, FlatNetwork.__table__
        # The VNIC and its network in one locking read: the network row lock is
        # the allocator's per-network lock (see netservice.ipam.allocator).
        self._card_and_network = (
            sa.select(cards, *(c.label(f"n_{c.name}") for c in nets.c))
            .join(nets, nets.c.id == cards.c.network_id)
            .where(cards.c.id == sa.bindparam("vnic"), cards.c.deleted == 0, nets.c.deleted == 0)
            .with_for_update()
        )

    # --- VNICs -----------------------------------------------------------------

    def create(
        self,
        context: RequestContext,
        *,
        network: str | None = None,
        instance_id: str | None = None,
        project_id: str | None = None,
    ) -> EthernetCard:
        """Create a VNIC; see ``create_on``."""
        card, _ = self.create_on(
            context, network=network, instance_id=instance_id, project_id=project_id
        )
        return card

    def create_on(
        self,
        context: RequestContext,
        *,
        network: str | None = None,
        instance_id: str | None = None,
        project_id: str | None = None,
    ) -> tuple[EthernetCard, FlatNetwork]:
        """Create a VNIC with a unique ``fa:16:3e`` MAC, returning it and its network.

        ``network`` (uuid, cidr or id) defaults to the project's network.  An
        admin may create it for ``project_id``.  A MAC collision is retried up
        to five times, then MacAddressExhausted (409).
        """
        owner = project_id if (project_id and context.is_admin) else context.project_id
        if owner is None:
            raise exceptions.NotAuthorized()
        explicit = self.networks.get(network) if network else None
        if explicit is not None and not context.is_admin:
            if explicit.project_id not in (None, owner):
                raise exceptions.NotFound(f"Network {network} could not be found.")
        # Two autocommit statements rather than a transaction around them:
        # this is on compute's boot path, and a network deleted in between
        # makes the INSERT fail on its foreign key, which is reported below.
        if explicit is None:
            with self.db.autocommit_connection() as conn:
                target: Any = _default_network(conn, owner)
        else:
            target = explicit
        for _ in range(MAC_ATTEMPTS):
            card = EthernetCard(
                id=str(uuidlib.uuid4()),
                mac=random_mac(),
                network_id=target.id,
                project_id=owner,
                instance_id=instance_id,
                created_at=utcnow(),
                deleted=0,
            )
            try:
                with self.db.autocommit_connection() as conn:
                    conn.execute(
                        sa.insert(EthernetCard).values(
                            id=card.id,
                            mac=card.mac,
                            network_id=card.network_id,
                            project_id=card.project_id,
                            instance_id=card.instance_id,
                            created_at=card.created_at,
                            deleted=0,
                        )
                    )
            except sa_exc.IntegrityError as err:
                if not self._mac_taken(card.mac):
                    raise exceptions.NotFound(f"Network {target.id} could not be found.") from err
                LOG.info("MAC %s is taken; drawing another", card.mac)
                continue
            return card, target
        raise MacAddressExhausted(attempts=MAC_ATTEMPTS)

    def _mac_taken(self, mac: str) -> bool:
        with self.db.autocommit_connection() as conn:
            found = conn.scalar(
                sa.select(EthernetCard.id).where(
                    EthernetCard.mac == mac, EthernetCard.deleted == 0
                )
            )
        return found is not None

    def get(self, context: RequestContext, vnic_id: str) -> EthernetCard:
        """A live VNIC the caller may see.  Raises VnicNotFound (404)."""
        with self.db.transaction() as session:
            card = session.scalars(
                sa.select(EthernetCard).where(
                    EthernetCard.id == vnic_id, EthernetCard.deleted == 0
                )
            ).first()
        if card is None or (not context.is_admin and card.project_id != context.project_id):
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        return card

    def delete(self, context: RequestContext, vnic_id: str) -> None:
        """Free the VNIC's address and delete it.  Raises VnicNotFound."""
        card = self.get(context, vnic_id)
        self.unbind(context, vnic_id)
        with self.db.transaction() as session:
            row = session.get(EthernetCard, card.id)
            if row is not None and not row.deleted:
                row.deleted = int(card.id.replace("-", "")[:7], 16) + 1
                row.deleted_at = utcnow()

    # --- ports --------------------------------------------------------------------

    def bind(
        self,
        context: RequestContext,
        vnic: str | EthernetCard,
        *,
        address: str | None = None,
        instance_id: str | None = None,
    ) -> str:
        """Give the VNIC (id, or a card from ``get``) a fixed IP on its network.

        Returns the address.  Idempotent: a bound VNIC keeps (and returns) its
        address.  Raises VnicNotFound, FixedIpQuotaExceeded,
        FixedIpAlreadyInUse, FixedIpNotInNetwork and NoMoreFixedIps.
        """
        card = self.get(context, vnic) if isinstance(vnic, str) else vnic
        quota = int(self.config.quota_fixed_ips)
        with self.db.write_connection() as conn:
            # The network lock first (see netservice.ipam.allocator), then the
            # idempotency check under it, so two binds of one VNIC cannot race.
            locked = self.allocator.lock_network(conn, card.network_id)
            bound = conn.execute(self._bound, {"vnic": card.id}).scalar()
            if bound is not None:
                return str(bound)
            if quota >= 0 and self._project_ips(conn, card.project_id) >= quota:
                raise FixedIpQuotaExceeded(project_id=card.project_id, quota=quota)
            allocation = self.allocator.allocate(
                conn,
                card.network_id,
                instance_id=instance_id or card.instance_id,
                vnic_id=card.id,
                address=address,
                host=self.host,
                locked=locked,
            )
        LOG.debug("bound VNIC %s to %s", card.id, allocation.address)
        return allocation.address

    def bind_port(
        self,
        context: RequestContext,
        vnic_id: str,
        authorize: Callable[[str], None],
        *,
        address: str | None = None,
        instance_id: str | None = None,
    ) -> tuple[Any, Any, str]:
        """``bind`` for the REST API in one transaction; returns (card, network, address).

        ``authorize(project_id)`` runs once the VNIC is read and before anything
        is written.  The VNIC and network rows are read with their locks in one
        statement (a locking read, so MariaDB's snapshot starts after it);
        nothing locks a VNIC after a network, so the order cannot deadlock.
        """
        quota = int(self.config.quota_fixed_ips)
        with self.db.write_connection() as conn:
            card = conn.execute(self._card_and_network, {"vnic": vnic_id}).first()
            if card is None or (not context.is_admin and card.project_id != context.project_id):
                raise exceptions.VnicNotFound(vnic_id=vnic_id)
            authorize(card.project_id)
            network = types.SimpleNamespace(
                **{key[2:]: value for key, value in card._mapping.items() if key.startswith("n_")}
            )
            locked = LockedNetwork(
                network.id,
                network.first_address,
                network.last_address,
                network.next_address,
                network.next_used,
                network.free_count,
            )
            bound = conn.execute(self._bound, {"vnic": card.id}).scalar()
            if bound is not None:
                return card, network, str(bound)
            if quota >= 0 and self._project_ips(conn, card.project_id) >= quota:
                raise FixedIpQuotaExceeded(project_id=card.project_id, quota=quota)
            allocation = self.allocator.allocate(
                conn,
                card.network_id,
                instance_id=instance_id or card.instance_id,
                vnic_id=card.id,
                address=address,
                host=self.host,
                locked=locked,
            )
        return card, network, allocation.address

    def _project_ips(self, conn: sa.Connection, project_id: str) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(FlatIpAddress)
            .join(EthernetCard, EthernetCard.id == FlatIpAddress.vnic_id)
            .where(EthernetCard.project_id == project_id, FlatIpAddress.allocated.is_(True))
        )
        return int(conn.scalar(query) or 0)

    def unbind(self, context: RequestContext, vnic_id: str) -> str | None:
        """Free the VNIC's address at once (Flat); returns it, or None if unbound.

        Idempotent.  Raises VnicNotFound.
        """
        card = self.get(context, vnic_id)
        address = self.address_of(card.id)
        if address is None:
            return None
        with self.db.writer() as session:
            self.allocator.deallocate(
                session.connection(), card.network_id, address, free_now=True
            )
        return address

    def address_of(self, vnic_id: str) -> str | None:
        with self.db.transaction() as session:
            return session.execute(self._bound, {"vnic": vnic_id}).scalar()

    # --- lookups (FlatManager's) -------------------------------------------------------

    def get_vifs_by_instance(
        self, context: RequestContext, instance_id: str
    ) -> list[EthernetCard]:
        query = sa.select(EthernetCard).where(
            EthernetCard.instance_id == instance_id, EthernetCard.deleted == 0
        )
        if not context.is_admin:
            query = query.where(EthernetCard.project_id == context.project_id)
        with self.db.transaction() as session:
            return list(session.scalars(query.order_by(EthernetCard.created_at)))

    def get_vif_by_mac_address(self, context: RequestContext, mac: str) -> EthernetCard:
        """Raises InvalidInput for a malformed MAC and VnicNotFound for an unknown one."""
        mac = mac.lower()
        if not _MAC.match(mac):
            raise exceptions.InvalidInput(
                field="mac_address", reason=f"{mac!r} is not a MAC address"
            )
        with self.db.transaction() as session:
            card = session.scalars(
                sa.select(EthernetCard).where(EthernetCard.mac == mac, EthernetCard.deleted == 0)
            ).first()
        if card is None or (not context.is_admin and card.project_id != context.project_id):
            raise exceptions.VnicNotFound(vnic_id=mac)
        return card

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
        query = sa.select(FlatIpAddress.instance_id, FlatIpAddress.address).where(
            FlatIpAddress.allocated.is_(True), FlatIpAddress.instance_id.is_not(None)
        )
        with self.db.transaction() as session:
            rows = session.execute(query.order_by(FlatIpAddress.address_int)).all()
        return [{"instance_uuid": i, "ip": a} for i, a in rows if pattern.search(a)]

    def count(self, project_id: str) -> dict[str, int]:
        """The project's networks, VNICs and allocated fixed IPs."""
        with self.db.transaction() as session:
            conn = session.connection()
            networks = conn.scalar(
                sa.select(sa.func.count()).where(
                    FlatNetwork.project_id == project_id, FlatNetwork.deleted == 0
                )
            )
            vnics = conn.scalar(
                sa.select(sa.func.count()).where(
                    EthernetCard.project_id == project_id, EthernetCard.deleted == 0
                )
            )
            ips = self._project_ips(conn, project_id)
        return {"networks": int(networks or 0), "vnics": int(vnics or 0), "fixed_ips": ips}

    def networks_of(self, cards: Sequence[EthernetCard]) -> dict[int, FlatNetwork]:
        with self.db.transaction() as session:
            rows = session.scalars(
                sa.select(FlatNetwork).where(FlatNetwork.id.in_({c.network_id for c in cards}))
            )
            return {row.id: row for row in rows}


def _default_network(conn: sa.Connection, project_id: str) -> Any:
    """The project's own network, else the first unassigned one.  Raises NotFound."""
    query = (
        sa.select(FlatNetwork)
        .where(
            FlatNetwork.deleted == 0,
            sa.or_(FlatNetwork.project_id == project_id, FlatNetwork.project_id.is_(None)),
        )
        # The project's own first (NULLs last on every backend), then by id.
        .order_by(FlatNetwork.project_id.is_(None), FlatNetwork.id)
        .limit(1)
    )
    network = conn.execute(query).first()
    if network is None:
        raise exceptions.NotFound(f"No flat network is available to project {project_id}.")
    return network
