"""The desired state of a network host, read from one plugin's tables.

The tables are the plugin's models built on ``netservice.ipam.models``,
``netservice.floating.models`` and the plugin's ethernet-card model; they are
passed in as ``Tables`` so this module knows no plugin.  Every read is one
short statement outside any write transaction.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Any

import netaddr
import sqlalchemy as sa

from netservice.core.db.session import Database


@dataclasses.dataclass(frozen=True)
class Tables:
    """The plugin's model classes (or anything with the same columns)."""

    network: Any
    fixed_ip: Any
    vnic: Any
    floating_ip: Any


@dataclasses.dataclass(frozen=True)
class NetworkSpec:
    """What the host must provide for one network."""

    id: int
    bridge: str
    bridge_interface: str | None
    cidr: str
    gateway: str | None
    dhcp_server: str
    dhcp_start: str
    dns: tuple[str, ...]
    label: str
    multi_host: bool
    vlan: int | None = None
    vpn_private_address: str | None = None
    """VLAN: the address the project's VPN instance takes (see ``netservice.ipam.layout``)."""
    vpn_public_address: str | None = None
    """VLAN: the public address of the VPN; None until ``vpn change`` sets one."""
    vpn_public_port: int | None = None
    """VLAN: the public UDP port forwarded to ``vpn_private_address``:1194."""
    service: str = ""
    """The plugin serving it; network ids are only unique within one plugin."""
    uuid: str = ""
    """The id the API and the manage tools show."""

    @property
    def key(self) -> str:
        """The id the data plane files the network under (dnsmasq dir, nft chain)."""
        return network_key(self.service, self.id)

    @property
    def name(self) -> str:
        """How logs name the network: ``flat_dhcp network <uuid> (<label>)``."""
        return f"{self.service or 'DHCP'} network {self.uuid or self.id} ({self.label})"

    @property
    def dhcp_address(self) -> str:
        """``dhcp_server/prefixlen``, the address put first on the bridge."""
        return f"{self.dhcp_server}/{netaddr.IPNetwork(self.cidr).prefixlen}"


@dataclasses.dataclass(frozen=True)
class HostRow:
    """One fixed IP with its VNIC, as the host's DHCP sees it."""

    mac: str
    ip: str
    hostname: str
    allocated: bool
    leased: bool
    stamp: datetime.datetime


@dataclasses.dataclass(frozen=True)
class FloatingRow:
    floating: str
    fixed: str | None
    live: bool
    stamp: datetime.datetime


_HOSTNAME_BAD = re.compile(r"[^a-z0-9-]+")


def network_key(service: str, network_id: int) -> str:
    """``<service>-<id>``: two plugins on one host both have a network 1."""
    return f"{service}-{network_id}" if service else str(network_id)


def network_id_of(key: str, service: str = "") -> int | None:
    """The network id in a data-plane key of ``service``; None for another service's key."""
    prefix = f"{service}-" if service else ""
    rest = key[len(prefix) :] if key.startswith(prefix) else None
    return int(rest) if rest is not None and rest.isdigit() else None


def hostname(instance_id: str | None, ip: str) -> str:
    """A DNS label for the instance: its id made safe, else one from the address."""
    if instance_id:
        label = _HOSTNAME_BAD.sub("-", instance_id.lower()).strip("-")
        if label:
            return label[:63]
    return "host-" + ip.replace(".", "-")


def _stamp(*values: datetime.datetime | None) -> datetime.datetime:
    return max(v for v in values if v is not None)


class StateReader:
    """Reads what ``host`` must serve from the plugin's tables."""

    def __init__(
        self,
        db: Database,
        tables: Any,
        host: str,
        *,
        dhcp_address: Callable[[Any], str | None] | None = None,
        service: str = "",
    ) -> None:
        """``tables``: a ``Tables`` or the plugin's ``netservice.networks.Schema``.

        ``dhcp_address(network_row)`` gives the address this host serves a
        network from (multi_host: the host's own pool address, claimed on
        first use); by default the network's ``dhcp_server`` or gateway.
        """
        self.db = db
        self.t = tables
        self.host = host
        self.service = service
        self._dhcp_address = dhcp_address

    def _owned(self) -> Any:
        n = self.t.network
        return sa.and_(n.deleted == 0, sa.or_(n.host == self.host, n.multi_host.is_(True)))

    def claim_unowned(self) -> list[int]:
        """Claim networks no host serves yet, one at a time; returns those won.

        ``UPDATE ... WHERE host IS NULL`` is atomic on every backend, so when
        two hosts race for a network exactly one gets it.
        """
        n = self.t.network
        with self.db.autocommit_connection() as conn:
            candidates = conn.scalars(
                sa.select(n.id).where(
                    n.deleted == 0, n.host.is_(None), n.multi_host.is_(False), n.cidr.is_not(None)
                )
            ).all()
            won = []
            for network_id in candidates:
                done = conn.execute(
                    sa.update(n)
                    .where(n.id == network_id, n.host.is_(None), n.deleted == 0)
                    .values(host=self.host)
                )
                if done.rowcount == 1:
                    won.append(int(network_id))
        return won

    def networks(self, network_id: int | None = None) -> list[NetworkSpec]:
        """The networks this host serves (one, when ``network_id`` is given)."""
        n = self.t.network
        query = sa.select(n).where(self._owned(), n.cidr.is_not(None)).order_by(n.id)
        if network_id is not None:
            query = query.where(n.id == network_id)
        with self.db.autocommit_connection() as conn:
            rows = conn.execute(query).all()
        specs = []
        for row in rows:
            address = self._dhcp_address(row) if self._dhcp_address else None
            specs.append(self._spec(row, address or row.dhcp_server or row.gateway))
        return specs

    def _spec(self, row: Any, dhcp_server: str) -> NetworkSpec:
        gateway = row.gateway
        return NetworkSpec(
            service=self.service,
            id=int(row.id),
            uuid=row.uuid,
            bridge=row.bridge,
            bridge_interface=row.bridge_interface,
            cidr=row.cidr,
            gateway=gateway,
            dhcp_server=dhcp_server,
            dhcp_start=row.dhcp_start,
            dns=tuple(d for d in (row.dns1, row.dns2) if d),
            label=row.label,
            multi_host=bool(row.multi_host),
            vlan=row.vlan,
            vpn_private_address=row.vpn_private_address,
            vpn_public_address=row.vpn_public_address,
            vpn_public_port=row.vpn_public_port,
        )

    def hosts(self, network: NetworkSpec, since: datetime.datetime | None = None) -> list[HostRow]:
        """Fixed IPs of ``network`` that have a VNIC; only those changed since ``since``."""
        f, v = self.t.fixed_ip, self.t.vnic
        query = (
            sa.select(
                v.mac, f.address, f.instance_id, f.allocated, f.leased, f.created_at, f.updated_at
            )
            .join(v, v.id == f.vnic_id)
            .where(f.network_id == network.id)
        )
        if network.multi_host:
            query = query.where(f.host == self.host)
        if since is not None:
            query = query.where(sa.or_(f.updated_at >= since, f.created_at >= since))
        with self.db.autocommit_connection() as conn:
            rows = conn.execute(query).all()
        return [
            HostRow(
                mac=row.mac,
                ip=row.address,
                hostname=hostname(row.instance_id, row.address),
                allocated=bool(row.allocated),
                leased=bool(row.leased),
                stamp=_stamp(row.created_at, row.updated_at),
            )
            for row in rows
        ]

    def floating(
        self, networks: list[NetworkSpec], since: datetime.datetime | None = None
    ) -> list[FloatingRow]:
        """Floating IPs bound to fixed IPs of ``networks`` (all changes since ``since``).

        Without ``since`` only live bindings are returned; with it, unbound
        and deleted rows too, so the caller can undo them.
        """
        if not networks:
            return []
        fl, f = self.t.floating_ip, self.t.fixed_ip
        ids = [n.id for n in networks]
        multi = {n.id for n in networks if n.multi_host}
        query = sa.select(
            fl.address, f.address.label("fixed"), f.network_id, fl.host, fl.deleted,
            fl.created_at, fl.updated_at, fl.deleted_at,
        ).outerjoin(f, f.id == fl.fixed_ip_id)  # fmt: skip
        if since is None:
            query = query.where(fl.deleted == 0, f.network_id.in_(ids))
        else:
            query = query.where(
                sa.or_(fl.updated_at >= since, fl.created_at >= since, fl.deleted_at >= since)
            )
        with self.db.autocommit_connection() as conn:
            rows = conn.execute(query).all()
        result = []
        for row in rows:
            mine = row.network_id in ids and (row.network_id not in multi or row.host == self.host)
            live = bool(mine and row.fixed and not row.deleted)
            result.append(
                FloatingRow(
                    floating=row.address,
                    fixed=row.fixed if live else None,
                    live=live,
                    stamp=_stamp(row.created_at, row.updated_at, row.deleted_at),
                )
            )
        return result
