"""The read models of the networks library: what every service returns.

Frozen dataclasses, detached from any database session.  The REST views, the
-manage tools and the agents render from them, never from ORM rows, so a
plugin author reads one typed shape per thing:

- ``Network``: a network as ``network create`` planned it;
- ``FixedIp``: one used or reserved address of a network;
- ``Vnic``: an ethernet card (a MAC on one network) and the address it holds;
- ``Port``: a VNIC bound to a fixed IP, with what compute learns about it;
- ``FloatingIp``: a floating IP and the fixed IP it is associated with;
- ``Lease``: a VNIC's fixed IP as the network's DHCP server serves it.

``Network``'s fields are also *the* declaration of a network's fields.  The
``NetworkField`` in each field's metadata says how it is stored, whether
``network create`` takes it and which view shows it;
``netservice.ipam.models.NetworkMixin`` (the columns),
``netservice.networks.api.schemas.NETWORK_CREATE`` (the request body),
``netservice.networks.api.views`` (the brief and detailed views) and the
-manage tools' ``network create`` flags are all built from it.  Adding a
plain field to every plugin's networks is one line here plus a migration
revision per plugin (the first revisions are frozen DDL and never change);
``tests/unit/networks/test_domain.py`` shows a field added that way reaching
every one of those places.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any, Literal, TypeVar

from netservice.core.network_info import NetworkInfo
from netservice.floating.store import FloatingIpRecord

Kind = Literal["text", "integer", "bigint", "boolean"]
View = Literal["brief", "detail", "dhcp"]
Request = Literal["text", "id", "number", "boolean"]


@dataclasses.dataclass(frozen=True)
class NetworkField:
    """How one field of ``Network`` is stored, asked for and shown.

    ``kind`` and ``length`` give the column (``text`` is ``VARCHAR(length)``);
    a field without a ``NetworkField`` (``id``, ``created_at``) is declared
    by the ORM mixin itself.  ``view`` is the least detailed view that shows
    the field: ``brief`` (every list), ``detail``, or ``dhcp`` (detail, in
    topologies that serve DHCP); None shows it nowhere.  ``request`` is the
    JSON type ``network create`` takes it as (``id`` is a non-empty string),
    None when the operator cannot set it.  ``flag`` and ``help`` are the
    -manage tools' option (default ``--<name>``).

    ``planned`` fields are worked out by ``netservice.ipam.planner`` (which
    checks each against the subnet); an unplanned field the request takes is
    stored as given, after its JSON type is checked.
    """

    kind: Kind
    length: int | None = None
    nullable: bool = True
    view: View | None = "detail"
    request: Request | None = None
    flag: str | None = None
    help: str = ""
    planned: bool = True


def network_field(
    kind: Kind,
    length: int | None = None,
    *,
    nullable: bool = True,
    view: View | None = "detail",
    request: Request | None = None,
    flag: str | None = None,
    help: str = "",
    planned: bool = True,
) -> Any:
    """A dataclass field of ``Network`` (or a subclass) carrying its ``NetworkField``.

    A plugin adds a field to its networks with a subclass::

        @dataclasses.dataclass(frozen=True, kw_only=True)
        class MtuNetwork(Network):
            mtu: int | None = network_field("integer", request="number", planned=False)

    and passes it to ``netservice.ipam.models.network_mixin`` (its tables)
    and as its ``Topology.declaration`` (the service, views and flags).
    """
    spec = NetworkField(kind, length, nullable, view, request, flag, help, planned)
    return dataclasses.field(metadata={"network": spec})


def _address(**kwargs: Any) -> Any:
    return network_field("text", 39, **kwargs)


def _cidr(**kwargs: Any) -> Any:
    return network_field("text", 43, **kwargs)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Network:
    """A live network of one plugin; ``uuid`` is its public id."""

    id: int
    created_at: datetime.datetime
    updated_at: datetime.datetime | None
    uuid: str = network_field(
        "text",
        36,
        nullable=False,
        view=None,
        request="id",
        help="UUID of the network (one network only)",
    )
    label: str = network_field(
        "text",
        255,
        nullable=False,
        view="brief",
        request="text",
        help="Label for the network(s) (required, at most 255 characters)",
    )
    cidr: str | None = _cidr(
        view="brief",
        request="text",
        flag="--fixed_range_v4",
        help="IPv4 range to split, e.g. 10.0.0.0/8",
    )
    netmask: str | None = _address()
    gateway: str | None = _address(
        request="text", help="IPv4 gateway (default: the subnet's first address)"
    )
    broadcast: str | None = _address()
    dhcp_server: str | None = _address(view="dhcp")
    dhcp_start: str | None = _address()
    cidr_v6: str | None = _cidr(
        view="brief", request="text", flag="--fixed_range_v6", help="IPv6 range, e.g. fd00::/48"
    )
    netmask_v6: str | None = _address()
    gateway_v6: str | None = _address(request="text", help="IPv6 gateway")
    fixed_cidr: str | None = _cidr(
        request="text", help="Sub-range of the network that addresses come from"
    )
    allowed_start: str | None = _address(request="text", help="First allocatable address")
    allowed_end: str | None = _address(request="text", help="Last allocatable address")
    dns1: str | None = _address(
        request="text", help="First DNS server (default: flat_network_dns)"
    )
    dns2: str | None = _address(request="text", help="Second DNS server")
    bridge: str | None = network_field(
        "text",
        255,
        request="text",
        help="Bridge instances attach to (default: flat_network_bridge)",
    )
    bridge_interface: str | None = network_field(
        "text", 255, request="text", help="Interface of the bridge (default: flat_interface)"
    )
    multi_host: bool = network_field(
        "boolean", nullable=False, request="boolean", help="T or F (default F)"
    )
    injected: bool = network_field("boolean", nullable=False)
    project_id: str | None = network_field(
        "text", 255, view="brief", request="id", help="Project the network belongs to"
    )
    host: str | None = network_field("text", 255)
    vlan: int | None = network_field("integer")
    vpn_private_address: str | None = _address(view=None)
    vpn_public_address: str | None = _address(view=None)
    vpn_public_port: int | None = network_field("integer", view=None)

    @classmethod
    def from_row(cls, row: Any) -> Network:
        """The read model of a network row (any plugin's ``NetworkMixin`` class)."""
        return _from_row(cls, row)


def network_fields(
    declaration: type[Network] = Network,
) -> Iterator[tuple[str, NetworkField]]:
    """``(name, NetworkField)`` for each declared field, in declaration order.

    ``declaration`` is ``Network`` or a subclass that adds fields.
    """
    for field in dataclasses.fields(declaration):
        spec = field.metadata.get("network")
        if spec is not None:
            yield field.name, spec


@dataclasses.dataclass(frozen=True)
class FixedIp:
    """One used or reserved address; ``network_id`` is the network's row id.

    An address of a network that was never used has no row: ``id`` and
    ``created_at`` are None (``NetworkQueries.get_fixed_ip_by_address``).
    """

    id: int | None
    network_id: int
    address: str
    instance_id: str | None
    vnic_id: str | None
    allocated: bool
    leased: bool
    reserved: bool
    host: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None = None
    freed_at: datetime.datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> FixedIp:
        return _from_row(cls, row)

    @classmethod
    def unused(cls, network_id: int, address: str) -> FixedIp:
        """An address of the network that has no row: neither used nor reserved."""
        nothing = (None, None, False, False, False, None, None)  # instance_id .. created_at
        return cls(None, network_id, address, *nothing)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Vnic:
    """An ethernet card: a MAC on one network, owned by a project.

    ``network_uuid`` is the network's public id; ``address`` the fixed IP the
    VNIC is bound to, or None.  ``network_id`` is the network's row id in the
    plugin's tables, None where there is none to give (l2's segments, whose
    id is their uuid; a VNIC read over REST by
    ``netservice.compute.remote.RemoteVnics``).  ``created_at`` is None where
    the plugin keeps no such column (l2).
    """

    id: str
    mac: str
    network_uuid: str
    project_id: str
    instance_id: str | None
    network_id: int | None = None
    created_at: datetime.datetime | None = None
    address: str | None = None

    @classmethod
    def from_row(cls, row: Any, network_uuid: str, address: str | None = None) -> Vnic:
        """The read model of a VNIC row (``id``, ``mac``, ``network_id``, ...)."""
        return cls(
            id=row.id,
            mac=row.mac,
            network_uuid=network_uuid,
            project_id=row.project_id,
            instance_id=row.instance_id,
            network_id=row.network_id,
            created_at=row.created_at,
            address=address,
        )


@dataclasses.dataclass(frozen=True)
class Port:
    """A VNIC bound to a fixed IP; a port shares its VNIC's id.

    ``vnic.address`` is ``address``; ``network_info`` is what compute's agent
    returns for the VNIC.
    """

    vnic: Vnic
    address: str
    network_info: NetworkInfo

    @property
    def id(self) -> str:
        return self.vnic.id


FloatingIp = FloatingIpRecord
"""A floating IP and the fixed IP it is associated with (``netservice.floating``'s record)."""


@dataclasses.dataclass(frozen=True)
class Lease:
    """A VNIC's fixed IP as the network's DHCP server serves it."""

    address: str
    mac: str
    instance_id: str | None
    vnic_id: str
    host: str | None
    allocated: bool
    leased: bool
    updated_at: datetime.datetime | None


_T = TypeVar("_T")


def _from_row(cls: type[_T], row: Any) -> _T:
    """``cls`` with each of its fields read from the attribute of that name."""
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    return cls(**{name: getattr(row, name) for name in names})
