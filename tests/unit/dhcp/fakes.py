"""A tiny plugin schema built from the framework's mixins, and recording drivers."""

from __future__ import annotations

import datetime
import uuid

import netaddr
import sqlalchemy as sa
from sqlalchemy import orm

from netservice.core.db.model_base import SoftDeleteMixin
from netservice.core.db.models import CoreBase
from netservice.core.db.session import Database
from netservice.dhcp.dataplane import HostDataPlane
from netservice.dhcp.state import Tables
from netservice.ipam import ranges
from netservice.ipam.models import FixedIpMixin, NetworkMixin
from netservice.linux.links import Links
from netservice.linux.memory import MemoryBackend


class Base(orm.DeclarativeBase):
    pass


class Net(NetworkMixin, Base):
    __tablename__ = "t_networks"


class Ip(FixedIpMixin, Base):
    __tablename__ = "t_fixed_ips"
    __network_table__ = "t_networks"


class Card(SoftDeleteMixin, Base):
    __tablename__ = "t_vnics"
    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17))
    network_id: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    instance_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class Floating(SoftDeleteMixin, Base):
    __tablename__ = "t_floating"
    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    address: orm.Mapped[str] = orm.mapped_column(sa.String(39))
    fixed_ip_id: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


TABLES = Tables(network=Net, fixed_ip=Ip, vnic=Card, floating_ip=Floating)


class FakeDhcp:
    def __init__(self) -> None:
        self.hosts: dict[str, dict[str, tuple[str, str]]] = {}
        self.running: dict[str, int] = {}
        self.ops: list[tuple] = []

    def ensure(self, network, hosts):
        self.ops.append(("ensure", network.network_id))
        self.hosts[network.network_id] = {h.mac: (h.ip, h.hostname) for h in hosts}
        return self.running.setdefault(network.network_id, 100 + len(self.running))

    def add_host(self, key, host):
        self.ops.append(("add", key, host.mac))
        self.hosts.setdefault(key, {})[host.mac] = (host.ip, host.hostname)

    def remove_host(self, key, mac):
        self.ops.append(("remove", key, mac))
        self.hosts.get(key, {}).pop(mac, None)

    def release(self, network, ip, mac):
        self.ops.append(("release", network.network_id, ip, mac))

    def stop(self, key):
        self.ops.append(("stop", key))
        self.running.pop(key, None)
        self.hosts.pop(key, None)

    def halt(self, key):
        self.ops.append(("halt", key))
        self.running.pop(key, None)

    def pid(self, key):
        return self.running.get(key)

    def network_ids(self):
        return sorted(self.hosts)


class FakeFirewall:
    def __init__(self) -> None:
        self.networks: dict[str, str] = {}
        self.bound: dict[str, str] = {}
        self.ops: list[tuple] = []

    def ensure_base(self):
        pass

    def ensure_network(self, key, cidr):
        self.ops.append(("net", key)) if self.networks.get(key) != cidr else None
        self.networks[key] = cidr

    def remove_network(self, key, cidr=None):
        self.ops.append(("unnet", key))
        self.networks.pop(key, None)

    def network_ids(self):
        return set(self.networks)

    def floating_bindings(self):
        return dict(self.bound)

    def bind_floating_ip(self, floating, fixed):
        self.ops.append(("bind", floating, fixed))
        self.bound[floating] = fixed

    def ensure_vnic(self, port, mac, ips):
        self.ops.append(("vnic", port, mac, tuple(ips)))

    def remove_vnic(self, port):
        self.ops.append(("unvnic", port))

    def unbind_floating_ip(self, floating, fixed):
        self.ops.append(("unbind", floating, fixed))
        if self.bound.get(floating) == fixed:
            del self.bound[floating]


def dataplane() -> HostDataPlane:
    return HostDataPlane(Links(MemoryBackend()), FakeDhcp(), FakeFirewall())  # type: ignore[arg-type]


def database(tmp_path) -> Database:
    db = Database(f"sqlite:///{tmp_path}/t.sqlite")
    Base.metadata.create_all(db.engine)
    CoreBase.metadata.create_all(db.engine)  # network_statuses
    return db


def add_network(
    db, *, cidr="10.0.0.0/24", host=None, bridge="br100", multi_host=False,
    bridge_interface=None, label="n",
) -> int:  # fmt: skip
    ip = netaddr.IPNetwork(cidr)
    with db.writer() as session:
        row = Net(
            uuid=str(uuid.uuid4()), label=label, cidr=cidr, netmask=str(ip.netmask),
            gateway=str(ip[1]), broadcast=str(ip.broadcast), dhcp_server=str(ip[1]),
            dhcp_start=str(ip[2]), bridge=bridge, host=host, multi_host=multi_host,
            first_address=int(ip[2]), last_address=int(ip[-2]), next_address=int(ip[2]),
            bridge_interface=bridge_interface,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def add_vnic(db, network_id, mac, instance="vm-1") -> str:
    vnic_id = str(uuid.uuid4())
    with db.writer() as session:
        session.add(Card(id=vnic_id, mac=mac, network_id=network_id, instance_id=instance))
    return vnic_id


def set_ip(db, network_id, address, vnic_id, *, allocated=True, leased=False, when=None) -> int:
    """Insert or update a fixed IP row, stamped ``when`` (default now)."""
    when = when or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    with db.writer() as session:
        row = session.scalar(
            sa.select(Ip).where(Ip.network_id == network_id, Ip.address == address)
        )
        if row is None:
            row = Ip(network_id=network_id, address=address, address_int=ranges.to_int(address),
                     created_at=when)  # fmt: skip
            session.add(row)
        row.vnic_id, row.allocated, row.leased, row.instance_id = (
            vnic_id,
            allocated,
            leased,
            "vm-1",
        )
        row.updated_at = when
        session.flush()
        return row.id
