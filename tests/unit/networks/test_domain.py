"""``domain.Network`` is the one declaration of a network's fields.

(a) The ORM mixin's columns, ``network create``'s body schema, the views'
keys and the -manage flags are what the declaration says.  (b) A subclass
adding a field (``mtu``) reaches every one of them and round-trips through
the service: adding a field is one declaration line plus a migration
revision per plugin.  (c) The services return frozen read models.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime

import pytest
import sqlalchemy as sa

from netservice.core import exceptions
from netservice.core.db.session import Database
from netservice.core.wsgi.controller import schema_of
from netservice.ipam import planner
from netservice.ipam.allocator import Allocator
from netservice.ipam.models import network_columns
from netservice.networks import domain, tables, unplanned
from netservice.networks.api import schemas, views
from netservice.networks.api.networks import NetworksController
from netservice.networks.domain import Network, network_field, network_fields
from netservice.networks.manage import args
from netservice.networks.networks import Networks
from netservice.networks.schema import Schema
from netservice.networks.topology import Topology
from tests.unit.networks.conftest import SCHEMA


@dataclasses.dataclass(frozen=True, kw_only=True)
class MtuNetwork(Network):
    """A plugin's networks with one more field, set by ``network create`` as given."""

    mtu: int | None = network_field(
        "integer", view="detail", request="number", planned=False, help="MTU of the network"
    )


def _tables(declaration: type[Network]) -> Schema:
    """A plugin's tables, as ``netservice.networks.tables.declare`` makes them."""
    return tables.declare("mtu", "Mtu", floating=False, declaration=declaration).schema


def _service(db: Database, schema: Schema, declaration: type[Network] = Network) -> Networks:
    schema.network.metadata.create_all(db.engine)
    topology = Topology(
        name="nstest",
        free_on_unbind=True,
        planner=planner.Topology(),
        declaration=declaration,
    )
    allocator = Allocator(schema.network.__table__, schema.fixed_ip.__table__)
    return Networks(db, allocator, schema, topology)


def _described(columns) -> list[tuple[str, str, bool]]:
    return [(c.name, repr(c.type), bool(c.nullable)) for c in columns]


# --- (a) every place says what the declaration says -------------------------------------


def test_the_mixin_keeps_revision_1_and_adds_only_declared_fields():
    table = SCHEMA.network.__table__
    described = {column[0]: column for column in _described(table.columns)}
    revision_1 = _described(network_columns())
    for column in revision_1:
        assert described[column[0]] == column
    # A field declared later is a column of the mixin (and a revision per plugin).
    added = set(described) - {column[0] for column in revision_1}
    assert added <= {name for name, _ in network_fields()}
    for name, spec in network_fields():
        assert table.c[name].nullable is spec.nullable
        if spec.kind == "boolean":
            assert table.c[name].default.arg is False


def test_the_create_schema_takes_the_request_fields_and_the_split(database):
    properties = schemas.NETWORK_CREATE["properties"]["network"]["properties"]
    wanted = {
        name: schemas.REQUEST_TYPES[spec.request]
        for name, spec in network_fields()
        if spec.request is not None
    }
    assert properties == {**wanted, **schemas.PLAN_ONLY}
    assert set(schemas.PLAN_ONLY) == {"num_networks", "network_size"}
    assert schema_of(NetworksController(_service(database, SCHEMA)).create) == (
        schemas.NETWORK_CREATE
    )


def test_the_views_show_the_declared_views():
    declared = dict(network_fields())
    brief = {n for n, s in declared.items() if s.view == "brief"}
    detail = {n for n, s in declared.items() if s.view in ("brief", "detail")}
    assert set(views.BRIEF) == brief == {"label", "cidr", "cidr_v6", "project_id"}
    assert set(views.DETAIL) == detail | {"created_at"}
    assert set(views.shown(detail=True, dhcp=True)) - set(views.DETAIL) == {"dhcp_server"}
    assert not {"uuid", "vpn_private_address", "vpn_public_port"} & set(views.DETAIL)


def test_the_manage_flags_are_the_request_fields_and_the_plan_options():
    declared = {
        (spec.flag or f"--{name}", name, spec.help)
        for name, spec in network_fields()
        if spec.request is not None
    }
    assert set(args.CREATE_OPTIONS) == declared | set(args.PLAN_ONLY)
    assert ("--fixed_range_v4", "cidr", "IPv4 range to split, e.g. 10.0.0.0/8") in declared


def test_a_planned_field_is_one_the_planner_takes_and_an_unplanned_one_is_not():
    planner_takes = {f.name for f in dataclasses.fields(planner.NetworkRequest)}
    for name, spec in network_fields():
        if spec.request is None:
            continue
        assert (name in planner_takes) is spec.planned, name
    assert set(unplanned.unplanned_fields()).isdisjoint(planner_takes)


# --- (b) a field added by one declaration line --------------------------------------------


def test_an_added_field_is_a_column():
    table = _tables(MtuNetwork).network.__table__
    assert _described([table.c.mtu]) == [("mtu", "Integer()", True)]
    assert set(table.c.keys()) - set(SCHEMA.network.__table__.c.keys()) == {"mtu"}


def test_an_added_field_is_in_the_create_schema():
    properties = schemas.network_create(MtuNetwork)["properties"]["network"]["properties"]
    assert properties["mtu"] == schemas.NUMBER
    assert "mtu" not in schemas.NETWORK_CREATE["properties"]["network"]["properties"]


def test_an_added_field_is_a_manage_flag():
    assert ("--mtu", "mtu", "MTU of the network") in args.create_options(MtuNetwork)
    parser = argparse.ArgumentParser()
    args.add_network_parsers(parser.add_subparsers(), "nstest", MtuNetwork)
    parsed = parser.parse_args(["network", "create", "--label", "a", "--mtu", "1400"])
    assert parsed.mtu == "1400"


def test_an_added_field_goes_from_the_request_to_the_row_and_the_detail_view():
    db = Database("sqlite://")
    try:
        schema = _tables(MtuNetwork)
        networks = _service(db, schema, MtuNetwork)
        # The -manage flag's text; REST gives a number.
        request = unplanned.network_request(
            {"label": "a", "cidr": "10.0.0.0/24", "mtu": "1400"}, MtuNetwork
        )
        assert request.extra == {"mtu": "1400"}
        (created,), _ = networks.create(request)
        assert isinstance(created, MtuNetwork)
        assert created.mtu == 1400
        assert networks.get(created.uuid).mtu == 1400
        with db.transaction() as session:
            assert session.scalar(sa.select(schema.network.mtu)) == 1400
        assert views.network(created)["mtu"] == 1400
        # The REST API's body schema is the plugin's declaration's.
        body = schema_of(NetworksController(networks).create)
        assert body == schemas.network_create(MtuNetwork)
        assert "mtu" not in views.network(created, detail=False)
        with pytest.raises(exceptions.InvalidInput):
            networks.create(
                unplanned.network_request({"label": "b", "cidr": "10.1.0.0/24", "mtu": "x"})
            )
    finally:
        db.dispose()


def test_an_unplanned_value_is_checked_by_its_json_type():
    assert unplanned.checked({"mtu": 9000}, MtuNetwork) == {"mtu": 9000}
    for bad in ("x", -1, True, 2**31):
        with pytest.raises(exceptions.InvalidInput):
            unplanned.checked({"mtu": bad}, MtuNetwork)
    with pytest.raises(exceptions.InvalidInput):
        unplanned.checked({"label": "a"}, MtuNetwork)  # planned: not extra
    with pytest.raises(exceptions.InvalidInput):
        unplanned.network_request({"nonsense": 1})


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotedNetwork(Network):
    note: str | None = network_field("text", 64, request="text", planned=False)


@pytest.mark.parametrize("bad", ["a\x01b", "x" * 65, 5])
def test_an_unplanned_text_is_refused_naming_the_field(bad):
    # A -manage flag's text meets no REST body limits: the check itself refuses it.
    with pytest.raises(exceptions.InvalidInput, match="'note'"):
        unplanned.checked({"note": bad}, NotedNetwork)
    assert unplanned.checked({"note": "ok"}, NotedNetwork) == {"note": "ok"}


# --- (c) read models ----------------------------------------------------------------------


def test_the_services_return_frozen_read_models(database):
    networks = _service(database, SCHEMA)
    (created,), _ = networks.create(planner.NetworkRequest(label="a", cidr="10.0.0.0/24"))
    for network in (created, networks.get(created.uuid), networks.list()[0]):
        assert type(network) is domain.Network
        with pytest.raises(dataclasses.FrozenInstanceError):
            network.label = "b"  # type: ignore[misc]
    assert networks.get(created.uuid) == created
    address = networks.set_reserved("10.0.0.9", True)
    assert isinstance(address, domain.FixedIp)
    assert address.reserved and isinstance(address.created_at, datetime.datetime)
    unused = networks.get_fixed_ip_by_address("10.0.0.10")
    assert unused.id is None and not unused.reserved
    (entry, *_) = [e for e in networks.fixed_list() if e.ip.address == "10.0.0.9"]
    assert entry.network == created and entry.ip == address
    removed, _ = networks.remove(created.uuid)
    assert removed == created
