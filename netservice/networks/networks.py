"""A plugin's networks: create, delete, modify, and reserving fixed IPs.

The one service layer behind a plugin's REST API and its ``-manage`` tool.
Each public method is one transaction, so a refused request writes nothing,
and each change a net-service acts on is reported to it inside that
transaction (``netservice.networks.writes``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from netservice.core import exceptions, network_status, validation
from netservice.core.db.retry import retry_on_deadlock
from netservice.core.db.session import Database
from netservice.core.notify import ChangeNotifier
from netservice.core.registry import Claim, Registry
from netservice.ipam import fields, planner
from netservice.ipam.allocator import Allocator
from netservice.ipam.exceptions import NetworkInUse, NetworkNotFound
from netservice.networks import unplanned
from netservice.networks.claims import l2_claims, network_claims
from netservice.networks.domain import FixedIp, Network
from netservice.networks.queries import NetworkQueries
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology
from netservice.networks.writes import Writes

LOG = logging.getLogger(__name__)

VLAN_OPTIONS = ("vlan", "vlan_start", "vpn_start")
# The columns whose change hands a network on, and how a refusal names the change.
_HANDED_ON = (("project_id", "changing its project"), ("host", "changing its host"))


def _handed_on(values: dict[str, Any], before: Any) -> list[str]:
    """The changes in ``values`` that hand the network (and what is on it) on.

    A first host is not a change of hands: nothing served the network before
    (a network host claims an unowned network the same way).  A first project
    is: the VNICs of whoever used the unassigned network would go with it.
    """
    found = []
    for key, change in _HANDED_ON:
        if key not in values or values[key] == getattr(before, key):
            continue
        if key == "host" and getattr(before, key) is None:
            continue
        found.append(change)
    return found


@dataclasses.dataclass(frozen=True)
class Orphans:
    """What a forced change left behind on a network: its VNICs and their addresses."""

    vnics: tuple[str, ...] = ()
    fixed_ips: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.vnics or self.fixed_ips)

    def describe(self) -> str:
        parts = []
        if self.vnics:
            parts.append(f"{len(self.vnics)} VNIC(s) ({', '.join(self.vnics)})")
        if self.fixed_ips:
            parts.append(
                f"{len(self.fixed_ips)} allocated fixed IP(s) ({', '.join(self.fixed_ips)})"
            )
        return " and ".join(parts) or "nothing"

    def as_dict(self) -> dict[str, list[str]]:
        return {"vnics": list(self.vnics), "fixed_ips": list(self.fixed_ips)}


class Networks(NetworkQueries):
    """Networks and addresses of one plugin."""

    def __init__(
        self,
        db: Database,
        allocator: Allocator,
        schema: Schema,
        topology: Topology,
        notifier: ChangeNotifier | None = None,
        *,
        registry: Registry | None = None,
    ) -> None:
        super().__init__(db, schema, topology)
        self.allocator = allocator
        self.writes = Writes(db, topology.name, notifier)
        self.registry = registry
        """Where the networks' ranges, bridges and VLANs are claimed; None claims nothing."""

    def claim(self, conn: sa.Connection, claims: Sequence[Claim]) -> None:
        """Claim in the registry, in the caller's transaction (none without a registry)."""
        if self.registry is not None:
            self.registry.claim(conn, claims)

    def release(
        self, conn: sa.Connection, network_id: int, kinds: Sequence[str] | None = None
    ) -> None:
        """Free the network's claims, in the caller's transaction."""
        if self.registry is not None:
            self.registry.release(conn, self.topology.name, network_id, kinds)

    def claims(self) -> list[Claim]:
        """What every live network claims, read now (``registry_claims``)."""
        net = self.schema.network
        with self.db.transaction() as session:
            rows = list(session.scalars(sa.select(net).where(net.deleted == 0).order_by(net.id)))
        return [claim for row in rows for claim in network_claims(self.topology, row)]

    # --- create ------------------------------------------------------------------

    @retry_on_deadlock
    def create(self, request: planner.NetworkRequest) -> tuple[list[Network], list[str]]:
        """Plan and write the networks of one ``network create``; all or none.

        Returns the networks and the planner's warnings.  ``request.extra``
        (the declaration's unplanned fields, ``netservice.networks.unplanned``)
        is written onto each network as given.  Raises InvalidInput,
        NetworkRangeTooSmall, CidrConflict (see ``netservice.ipam.planner``),
        or Conflict for a taken uuid.  A topology without VLANs ignores the
        VLAN options, with a warning, as nova's flat managers did.  Two
        creates on an empty table can deadlock on MariaDB's gap lock: the
        loser is retried (``retry_on_deadlock``).
        """
        net = self.schema.network
        name = self.topology.name
        if request.multi_host is None and self.topology.default_multi_host:
            request = dataclasses.replace(request, multi_host=True)
        extra = unplanned.checked(request.extra, self.topology.declaration)
        ignored = []
        if not self.topology.planner.vlan:
            ignored = [o for o in VLAN_OPTIONS if getattr(request, o) not in (None, "")]
        with self.writes.session() as write:
            session, conn = write.session, write.conn
            assert session is not None  # Writes.session() always opens one
            self.claim_project(conn, request.project_id, name)
            self.lock_networks(conn)
            used = planner.used_from(
                conn.execute(
                    sa.select(net.cidr, net.cidr_v6, net.vlan, net.vpn_public_port).where(
                        net.deleted == 0
                    )
                ).all()
            )
            plan = planner.plan_networks(request, self.topology.planner, used)
            self._check_uuids(session, [n.uuid for n in plan.networks])
            ids = []
            for planned in plan.networks:
                values = dataclasses.asdict(planned)
                values.update(extra, injected=self.topology.injected)
                reserved = planned.reserved(self.topology.planner.cnt_vpn_clients)
                ids.append(self.allocator.insert_network(conn, values, reserved))
                write.changed(ids[-1])
            session.expire_all()
            rows = list(session.scalars(sa.select(net).where(net.id.in_(ids)).order_by(net.id)))
            # Last, so a claim refused by another plugin's range rolls the rows back.
            self.claim(conn, [c for row in rows for c in network_claims(self.topology, row)])
            created = [self.read_model(row) for row in rows]
        warnings = list(plan.warnings)
        if ignored:
            warnings.append(f"{name} networks have no VLAN: ignored {', '.join(ignored)}")
        for network in created:
            LOG.info("created %s network %s %s (%s)", name, network.uuid,
                     network.cidr or network.cidr_v6, network.label)  # fmt: skip
        return created, warnings

    def lock_networks(self, conn: sa.Connection) -> None:
        """Serialise writes that must see every committed network: the caller's
        first statement.  ``create`` takes it, so overlap checks see every
        network; VLAN's project claims take it too.
        """
        net = self.schema.network
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(net.__tablename__)))
            )
        elif conn.dialect.name in ("mysql", "mariadb"):
            # A locking read, so MariaDB's snapshot starts after the lock.
            conn.execute(sa.select(net.id).with_for_update())
        # SQLite: Database.writer() already holds the database's write lock.

    def _check_uuids(self, session: Any, uuids: Sequence[str]) -> None:
        net = self.schema.network
        taken = session.scalar(sa.select(net.uuid).where(net.uuid.in_(uuids), net.deleted == 0))
        if taken:
            raise exceptions.Conflict(reason=f"a network with uuid {taken} already exists")

    # --- delete and modify -------------------------------------------------------------

    def delete(self, ref: str) -> Network:
        """Delete a network with its address rows; ``remove`` without force."""
        network, _ = self.remove(ref)
        return network

    @retry_on_deadlock
    def remove(self, ref: str, *, force: bool = False) -> tuple[Network, Orphans]:
        """Delete a network with its address rows; returns it and what was orphaned.

        Refused (NetworkInUse, 409) while it is associated with a project
        ("disassociate first"), while any fixed IP is allocated, or while
        VNICs are on it, unless ``force`` (an admin's choice, checked by the
        caller): then its VNICs are left on a deleted network and their
        addresses go with it, and the answer names them.  Raises
        NetworkNotFound for an unknown network.
        """
        network = self.get(ref)
        net = self.schema.network
        with self.writes.session() as write:
            session, conn = write.session, write.conn
            assert session is not None
            self.allocator.lock_network(conn, network.id)
            row = session.get(net, network.id, populate_existing=True)
            if row is None or row.deleted:
                raise NetworkNotFound(network=ref)
            if row.project_id is not None and not force:
                raise NetworkInUse(
                    resource=f"Network {row.uuid}",
                    reason=f"it is associated with project {row.project_id}; disassociate "
                    "first (network modify --disassociate-project)",
                )
            orphans = self._refuse_in_use(conn, row, "deleting it", force=force)
            self.allocator.delete_network_rows(conn, row.id)
            self.release(conn, row.id)
            row.soft_delete(row.id)
            if self.topology.dhcp:
                network_status.clear(conn, self.topology.name, row.id)
            write.changed(row.id)
        LOG.info("deleted %s network %s", self.topology.name, network.uuid)
        return network, orphans

    def _in_use(self, conn: sa.Connection, network_id: int) -> Orphans:
        """The VNICs on the network and its fixed IPs allocated to VNICs.

        Multi_host hosts' own addresses (no VNIC) do not count.
        """
        fixed, vnic = self.schema.fixed_ip, self.schema.vnic
        vnics = conn.scalars(
            sa.select(vnic.id)
            .where(vnic.network_id == network_id, vnic.deleted == 0)
            .order_by(vnic.id)
        ).all()
        addresses = conn.scalars(
            sa.select(fixed.address)
            .where(
                fixed.network_id == network_id,
                fixed.allocated.is_(True),
                fixed.vnic_id.is_not(None),
            )
            .order_by(fixed.address_int)
        ).all()
        return Orphans(vnics=tuple(str(v) for v in vnics), fixed_ips=tuple(addresses))

    def _refuse_in_use(
        self, conn: sa.Connection, row: Any, change: str, *, force: bool
    ) -> Orphans:
        """Nothing in use changes hands: NetworkInUse (409) unless ``force``."""
        found = self._in_use(conn, row.id)
        if not found:
            return found
        if not force:
            raise NetworkInUse(
                resource=f"Network {row.uuid}",
                reason=f"{found.describe()}; {change} would hand them on (delete or unbind "
                "them first, or force it as an admin: --force, or force=true over REST)",
            )
        LOG.warning("%s network %s: %s with force, orphaning %s", self.topology.name, row.uuid,
                    change, found.describe())  # fmt: skip
        return found

    def modify(
        self,
        ref: str,
        *,
        project: str | None = None,
        disassociate_project: bool = False,
        host: str | None = None,
        disassociate_host: bool = False,
        bridge_interface: str | None = None,
    ) -> Network:
        """``change`` without force, returning the network only."""
        row, _ = self.change(
            ref,
            project=project,
            disassociate_project=disassociate_project,
            host=host,
            disassociate_host=disassociate_host,
            bridge_interface=bridge_interface,
        )
        return row

    @retry_on_deadlock
    def change(
        self,
        ref: str,
        *,
        project: str | None = None,
        disassociate_project: bool = False,
        host: str | None = None,
        disassociate_host: bool = False,
        bridge_interface: str | None = None,
        force: bool = False,
    ) -> tuple[Network, Orphans]:
        """Associate or disassociate the network's project and host.  Idempotent.

        Returns the network and what the change orphaned.  A new project or
        host while the network has VNICs or allocated fixed IPs is
        NetworkInUse (409), unless ``force`` (an admin's choice, checked by
        the caller).  A project served by another service is
        WrongNetworkService (409).  ``bridge_interface`` replaces the
        interface the network's bridge
        enslaves (VLAN: the lower device, unless ``vlan_interface`` is set),
        checked as ``network create`` checks it.  Changing it clears the
        net-services' reports on the network, so it shows BUILD until the
        next pass tries the new interface (``netservice.core.network_status``).
        A disassociate flag together with a value is InvalidInput.
        """
        values = self._changes(
            project=project,
            disassociate_project=disassociate_project,
            host=host,
            disassociate_host=disassociate_host,
            bridge_interface=bridge_interface,
        )
        network = self.get(ref)
        if not values:
            return network, Orphans()
        net = self.schema.network
        orphans = Orphans()
        with self.writes.session() as write:
            conn = write.conn
            if values.get("project_id") is not None:
                self.claim_project(conn, values["project_id"], self.topology.name)
            self.allocator.lock_network(conn, network.id)
            before = conn.execute(
                sa.select(net.id, net.bridge_interface, net.project_id, net.host, net.uuid).where(
                    net.id == network.id
                )
            ).one()
            handed_on = _handed_on(values, before)
            if handed_on:
                orphans = self._refuse_in_use(conn, before, " and ".join(handed_on), force=force)
            conn.execute(sa.update(net).where(net.id == network.id).values(**values))
            moved = (
                "bridge_interface" in values
                and values["bridge_interface"] != before.bridge_interface
            )
            if moved:
                self._moved_interface(conn, network.id)
            write.changed(network.id)
        if moved:
            LOG.info("%s network %s: bridge_interface %s -> %s", self.topology.name, network.uuid,
                     before.bridge_interface, values["bridge_interface"])  # fmt: skip
        return self.get(str(network.id)), orphans

    def _changes(
        self,
        *,
        project: str | None,
        disassociate_project: bool,
        host: str | None,
        disassociate_host: bool,
        bridge_interface: str | None,
    ) -> dict[str, Any]:
        """The column values ``change`` asks for, validated."""
        if project is not None and disassociate_project:
            raise exceptions.InvalidInput(
                field="project", reason="cannot be given with --disassociate-project"
            )
        if host is not None and disassociate_host:
            raise exceptions.InvalidInput(
                field="host", reason="cannot be given with --disassociate-host"
            )
        values: dict[str, Any] = {}
        if project is not None:
            values["project_id"] = validation.project_id(project, "project")
        if disassociate_project:
            values["project_id"] = None
        if host is not None:
            values["host"] = validation.identifier(host, "host")
        if disassociate_host:
            values["host"] = None
        if bridge_interface is not None:
            values["bridge_interface"] = fields.bridge_interface(
                bridge_interface, self.topology.planner
            )
        return values

    def _moved_interface(self, conn: sa.Connection, network_id: int) -> None:
        """After ``bridge_interface`` changed: the VLAN id or VNI is claimed on the
        interface, so claim it on the new one; the net-services' reports are stale."""
        net = self.schema.network
        self.release(conn, network_id, ("vlan", "vni"))
        row = conn.execute(sa.select(net).where(net.id == network_id)).one()
        self.claim(conn, [c for c in l2_claims(self.topology, row) if c.kind != "bridge"])
        if self.topology.dhcp:
            network_status.clear(conn, self.topology.name, network_id)

    def statuses(self, rows: Sequence[Network]) -> dict[int, network_status.Status]:
        """What the net-services last made of each network, by network id.

        Empty for a topology without a net-service (Flat).  One read.
        """
        if not self.topology.dhcp or not rows:
            return {}
        reports = network_status.NetworkStatuses(self.db, self.topology.name).read(
            row.id for row in rows
        )
        found = {}
        for row in rows:
            # Every host serves a multi_host network; otherwise only its host's word counts.
            hosts = None if row.multi_host else [row.host] if row.host else []
            found[row.id] = network_status.summarize(reports.get(str(row.id), []), hosts)
        return found

    # --- fixed IPs ------------------------------------------------------------------

    @retry_on_deadlock
    def set_reserved(self, address: str, reserved: bool) -> FixedIp:
        """``fixed reserve|unreserve``.  Raises FixedIpNotFound outside every network."""
        network = self.network_for_address(address)
        with self.writes.connection() as write:
            self.allocator.set_reserved(write.conn, network.id, address, reserved)
        return self.get_fixed_ip_by_address(address)
