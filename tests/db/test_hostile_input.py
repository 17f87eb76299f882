"""Every hostile input of issue 12, with the status it must get, on every engine.

The repository's three plugins run on SQLite, PostgreSQL and MariaDB behind
the real WSGI app.  Each input is refused (or answered) before it reaches
the database, never with a 5xx, and the output stays parseable afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from netservice.core import bootstrap, exceptions
from netservice.core.api.router import build_app
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config
from tests.db.conftest import BACKENDS, engine_database

SERVICES = ["flat", "flat_dhcp", "vlan"]
VLAN = "/v1.0/vlan"
NETS = f"{VLAN}/networks"
DEEP = 1000
EXTRA = {"vlan": {"vlan_interface": "eth1"}}


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request, tmp_path_factory):
    """One database per engine for the whole module: the inputs are refused, so
    tests share it, and each uses a range of its own."""
    yield from engine_database(request.param, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def config_path(tmp_path_factory, module_db_url):
    return write_config(
        str(tmp_path_factory.mktemp("cfg")),
        SERVICES,
        default="vlan",
        connection=module_db_url,
        extra=EXTRA,
    )


@pytest.fixture(scope="module")
def apps(config_path):
    manager = bootstrap.open_services(make_conf(config_path))
    bootstrap.sync_schema(manager)
    app = build_app(make_conf(config_path), manager)
    yield ApiClient(app, "ops", ("admin",)), ApiClient(app, "p1")
    manager.database.dispose()


@pytest.fixture
def admin(apps):
    return apps[0]


@pytest.fixture
def member(apps):
    return apps[1]


def _fault(reply, status):
    assert reply.status == status, (reply.status, reply.body[:500])
    (name,) = reply.json()
    assert reply.json()[name]["code"] == status
    return reply.json()[name]["message"]


def _count(admin):
    return len(admin.get(NETS).json()["networks"])


def _network(admin, **values):
    values.setdefault("label", "net")
    return admin.post(NETS, {"network": values})


# --- bodies nested deep ------------------------------------------------------------


def test_json_nested_1000_deep_is_400(admin):
    body = ('{"network":' + '{"a":' * DEEP + "1" + "}" * DEEP + "}").encode()
    message = _fault(admin.post(NETS, body), 400)
    assert "'body'" in message and "deep" in message
    arrays = ("[" * DEEP + "]" * DEEP).encode()
    assert "deep" in _fault(admin.post(NETS, arrays), 400)


def test_xml_nested_1000_deep_is_400(admin):
    body = ("<network>" + "<a>" * DEEP + "1" + "</a>" * DEEP + "</network>").encode()
    reply = admin.post(NETS, body, content_type="application/xml")
    assert "deep" in _fault(reply, 400)


# --- paths and ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1.0/%FF",
        f"{NETS}/%FF",
        f"{NETS}/%FF/leases",
        "/v1.0/instances/%C3%28/vnics",
        "/%FF%FE",
    ],
)
def test_undecodable_path_is_a_400_fault_in_the_negotiated_format(admin, path):
    assert "'path'" in _fault(admin.get(path), 400)
    as_xml = admin.get(path, accept="application/xml")
    assert as_xml.status == 400 and as_xml.xml().tag.endswith("badRequest")
    suffixed = admin.get(path + ".xml")
    assert suffixed.status == 400 and suffixed.xml().tag.endswith("badRequest")


def test_undecodable_query_is_400(admin):
    assert "query string" in _fault(admin.get(f"{NETS}?marker=%FF"), 400)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"{NETS}/a%00b", "'id'"),
        (f"{VLAN}/vnics/a%01b", "'id'"),
        ("/v1.0/instances/i%00/vnics", "'instance_id'"),
        ("/v1.0/projects/p%0A1/network_service", "'project_id'"),
        (f"{VLAN}/projects/p%7F/vpn", "'project_id'"),
    ],
)
def test_nul_and_control_characters_in_ids_are_400(admin, path, field):
    assert field in _fault(admin.get(path), 400)


def test_nul_in_a_query_parameter_is_400(admin):
    assert "'host'" in _fault(admin.get(f"{VLAN}/fixed_ips?host=a%00b"), 400)


@pytest.mark.parametrize(
    ("ref", "status"), [("2147483648", 404), ("99999999999999999999", 404), ("9" * 300, 400)]
)
def test_integer_ids_beyond_the_column_are_404(admin, ref, status):
    # Past 255 characters a path variable is refused before any lookup.
    _fault(admin.get(f"{NETS}/{ref}"), status)
    _fault(admin.delete(f"{NETS}/{ref}"), status)
    _fault(admin.get(f"{VLAN}/floating_ips/{ref}"), status)


def test_unicode_digits_in_limit_are_400(admin):
    assert "'limit'" in _fault(admin.get(f"{NETS}?limit=%C2%B2"), 400)


# --- strings in bodies ---------------------------------------------------------------


@pytest.mark.parametrize("label", ["a\x00b", "a\x01b", "tab\there", "new\nline", "\x7f", "\ud800"])
def test_control_characters_in_a_label_are_400_and_xml_stays_well_formed(admin, label):
    before = _count(admin)
    body = json.dumps({"network": {"label": label, "cidr": "10.5.0.0/24"}}).encode()
    assert "'network.label'" in _fault(admin.post(NETS, body), 400)
    listing = admin.get(f"{NETS}.xml")
    assert listing.status == 200 and listing.xml() is not None
    assert _count(admin) == before


def test_nul_in_a_hostname_and_an_id_in_a_body_are_400(admin, member):
    (net,) = _network(admin, cidr="10.6.0.0/24").json()["networks"]
    reply = admin.put(f"{NETS}/{net['id']}", {"network": {"host": "h\x00st"}})
    assert "'network.host'" in _fault(reply, 400)
    reply = member.post(f"{VLAN}/ports", {"port": {"vnic_id": "v\x00"}})
    assert "'port.vnic_id'" in _fault(reply, 400)
    assert admin.get(f"{NETS}/{net['id']}").json()["network"]["host"] is None


def test_control_characters_in_an_xml_body_are_400(admin):
    body = b"<network><label>a&#x1;b</label><cidr>10.7.0.0/24</cidr></network>"
    reply = admin.post(NETS, body, content_type="application/xml")
    # XML 1.0 itself forbids the character reference: refused while parsing.
    assert reply.status == 400


def test_a_string_over_the_limit_is_400(admin):
    assert "'network.label'" in _fault(_network(admin, label="x" * 70000), 400)


# --- numbers and types -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"cidr": "10.8.0.0/16", "num_networks": "2"}, "'network.num_networks'"),
        ({"cidr": "10.8.0.0/16", "network_size": "16"}, "'network.network_size'"),
        ({"cidr": "10.8.0.0/16", "vlan": "200"}, "'network.vlan'"),
        ({"cidr": "10.8.0.0/16", "multi_host": "T"}, "'network.multi_host'"),
        ({"cidr": "10.8.0.0/16", "num_networks": 2**31}, "'network.num_networks'"),
        ({"cidr": "10.8.0.0/16", "vlan_start": 2**63}, "'network.vlan_start'"),
        ({"cidr": "10.8.0.0/16", "num_networks": 1.5}, "'network.num_networks'"),
    ],
)
def test_types_are_not_coerced_and_integers_stay_in_range(admin, values, field):
    assert field in _fault(_network(admin, **values), 400)


def test_nan_and_huge_numbers_are_400(admin):
    assert _fault(admin.post(NETS, b'{"network": {"num_networks": NaN}}'), 400)
    assert _fault(admin.post(NETS, b'{"network": {"num_networks": 1e999}}'), 400)
    huge = b'{"network": {"num_networks": ' + b"9" * 5000 + b"}}"
    assert _fault(admin.post(NETS, huge), 400)


def test_an_empty_network_id_is_400(admin, member):
    assert "'vnic.network_id'" in _fault(
        member.post(f"{VLAN}/vnics", {"vnic": {"network_id": ""}}), 400
    )


# --- networks that make no sense -----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"cidr": "0.0.0.0/0"}, "'fixed_range_v4'"),
        ({"cidr": "127.0.0.0/24"}, "'fixed_range_v4'"),
        ({"cidr": "224.0.0.0/24"}, "'fixed_range_v4'"),
        ({"cidr_v6": "::/0"}, "'fixed_range_v6'"),
        ({"cidr_v6": "::/0", "gateway_v6": "::1"}, "'fixed_range_v6'"),
        ({"cidr_v6": "ff02::/64"}, "'fixed_range_v6'"),
        ({"cidr_v6": "fd00::/64", "gateway_v6": "::1"}, "'gateway_v6'"),
        ({"cidr_v6": "fd00::/64", "gateway_v6": "fd00::"}, "'gateway_v6'"),
        ({"cidr": "10.10.0.0/24", "gateway": "10.10.0.0"}, "'gateway'"),
        ({"cidr": "10.10.0.0/24", "gateway": "10.10.0.255"}, "'gateway'"),
    ],
)
def test_networks_that_make_no_sense_are_400(admin, values, field):
    before = _count(admin)
    assert field in _fault(_network(admin, **values), 400)
    assert _count(admin) == before


# --- lists -----------------------------------------------------------------------------------


def test_instance_vnics_take_limit_and_marker(admin, member):
    _network(admin, cidr="10.11.0.0/24")
    admin.post(f"{NETS}/add", {"project_id": "p1"})
    ids = []
    for _ in range(3):
        vnic = member.post(f"{VLAN}/vnics", {"vnic": {}}).json()["vnic"]
        reply = member.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": vnic["id"]}})
        assert reply.status == 201, reply.body
        ids.append(vnic["id"])
    first = member.get("/v1.0/instances/i-1/vnics?limit=2").json()
    assert [v["id"] for v in first["vnics"]] == ids[:2]
    assert first["vnics_links"][0]["rel"] == "next"
    rest = member.get(f"/v1.0/instances/i-1/vnics?limit=2&marker={ids[1]}").json()
    assert [v["id"] for v in rest["vnics"]] == ids[2:]
    assert "'marker'" in _fault(member.get("/v1.0/instances/i-1/vnics?marker=nope"), 400)
    assert "'limit'" in _fault(member.get("/v1.0/instances/i-1/vnics?limit=0"), 400)


@pytest.mark.parametrize("query", ["limit=1", "marker=x"])
def test_what_is_not_a_list_refuses_paging(admin, query):
    (net,) = _network(admin, cidr=f"10.12.{len(query)}.0/24").json()["networks"]
    assert "not a list" in _fault(admin.get(f"{NETS}/{net['id']}?{query}"), 400)


# --- messages name public ids ------------------------------------------------------------------


def test_messages_name_networks_by_uuid(admin, member):
    (net,) = _network(admin, cidr="10.13.0.0/24").json()["networks"]
    added = admin.post(f"{NETS}/add", {"id": net["id"], "project_id": "pmsg"})
    assert added.status == 200, added.body
    owner = member.as_project("pmsg")
    vnic = owner.post(f"{VLAN}/vnics", {"vnic": {}}).json()["vnic"]
    reply = owner.post(f"{VLAN}/ports", {"port": {"vnic_id": vnic["id"], "address": "10.99.0.5"}})
    message = _fault(reply, 400)
    assert net["id"] in message and "network 1 " not in message


# --- configuration ---------------------------------------------------------------------------


def test_keystone_without_its_section_stops_start_up(tmp_path, module_db_url):
    pytest.importorskip("keystonemiddleware", reason="keystonemiddleware is not installed")
    path = write_config(
        str(tmp_path / "ks"), SERVICES, default="vlan", connection=module_db_url,
        extra={"api": {"auth_strategy": "keystone"}},
    )  # fmt: skip
    conf = make_conf(path)
    manager = bootstrap.open_services(conf)
    try:
        with pytest.raises(exceptions.ConfigurationError, match=r"\[keystone_authtoken\]"):
            build_app(conf, manager)
    finally:
        manager.database.dispose()


# --- the manage tools ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["network", "delete", "99999999999999999999"], 1),
        (["network", "delete", "--uuid", "not-a-uuid"], 1),
        (["network", "create", "--label", "a\x01b", "--fixed_range_v4", "10.14.0.0/24"], 1),
        (["network", "create", "--label", "n", "--fixed_range_v4", "0.0.0.0/0"], 1),
        (["network", "create", "--label", "n", "10.14.0.0/24", "99999999999"], 1),
        # ``fixed`` answers 2 for an address it cannot use, as nova-manage did.
        (["fixed", "reserve", "--address", "not-an-address"], 2),
        (["network", "frobnicate"], 2),
    ],
)
def test_manage_tools_answer_one_line_never_a_traceback(apps, config_path, args, status):
    tool = os.path.join(os.path.dirname(sys.executable), "netservice-vlan-manage")
    done = subprocess.run(
        [tool, "--config-file", config_path, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == status, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "schema is behind" not in done.stderr
    if args[-1] != "frobnicate":
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
