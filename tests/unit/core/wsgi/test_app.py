"""The WSGI app end to end, in-process: negotiation, faults, validation, routing."""

from __future__ import annotations

import pytest

from netservice.core.wsgi import serializers

XML = serializers.XML


def test_versions_in_json_and_xml(client):
    reply = client.get("/")
    assert reply.status == 200
    assert reply.json()["versions"][0]["id"] == "v1.0"
    for kwargs in ({"accept": XML}, {"accept": "text/xml"}):
        reply = client.get("/", **kwargs)
        assert reply.headers["Content-Type"].startswith(XML)
        root = reply.xml()
        assert root.tag.endswith("versions")
        assert root.find("{*}version/{*}id").text == "v1.0"
    assert client.get("/.xml").xml().tag.endswith("versions")


def test_versions_need_no_identity(app):
    from netservice.testing.client import ApiClient

    assert ApiClient(app, project_id=None).get("/").status == 200
    reply = ApiClient(app, project_id=None).get("/v1.0/network_services")
    assert reply.status == 401
    assert "X-Project-Id" in reply.json()["unauthorized"]["message"]


def test_suffix_beats_accept(client):
    reply = client.get("/v1.0/network_services.json", accept=XML)
    assert reply.json()["network_services"][0]["name"] == "test"


def test_unacceptable_accept_is_406(client):
    reply = client.get("/v1.0/network_services", accept="text/html")
    assert reply.status == 406
    assert reply.json()["notAcceptable"]["code"] == 406


def test_network_services_lists_plugins_and_default(client):
    services = client.get("/v1.0/network_services").json()["network_services"]
    assert [(s["name"], s["default"]) for s in services] == [("test", True), ("test_other", False)]
    page = client.get("/v1.0/network_services?limit=1").json()
    assert [s["name"] for s in page["network_services"]] == ["test"]
    assert "marker=test" in page["network_services_links"][0]["href"]
    rest = client.get("/v1.0/network_services?limit=1&marker=test").json()
    assert [s["name"] for s in rest["network_services"]] == ["test_other"]


@pytest.mark.parametrize(
    ("query", "field"), [("limit=0", "limit"), ("limit=abc", "limit"), ("marker=nosuch", "marker")]
)
def test_bad_paging_is_400_naming_the_field(client, query, field):
    reply = client.get(f"/v1.0/network_services?{query}")
    assert reply.status == 400
    assert f"'{field}'" in reply.json()["badRequest"]["message"]


def test_unknown_path_is_a_404_fault_in_both_formats(client):
    reply = client.get("/v1.0/nosuch")
    assert reply.status == 404
    assert reply.json()["itemNotFound"]["code"] == 404
    reply = client.get("/v1.0/nosuch", accept=XML)
    root = reply.xml()
    assert root.tag.endswith("itemNotFound")
    assert root.find("{*}code").text == "404"


def test_wrong_method_is_405_with_allow(client):
    reply = client.put("/v1.0/test/vnics", {"x": 1})
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, POST"
    assert reply.json()["badMethod"]["code"] == 405


def test_create_and_show_in_json_and_xml(client):
    created = client.post("/v1.0/test/vnics", {"vnic": {"label": "a", "mtu": 1400}})
    assert created.status == 201
    vnic = created.json()["vnic"]
    assert (vnic["label"], vnic["mtu"], vnic["project_id"]) == ("a", 1400, "p1")
    xml = client.post(
        "/v1.0/test/vnics",
        b"<vnic><label>b</label><mtu>9000</mtu></vnic>",
        content_type=XML,
        accept=XML,
    )
    assert xml.status == 201
    assert xml.xml().find("{*}mtu").text == "9000"
    shown = client.get(f"/v1.0/test/vnics/{vnic['id']}.xml").xml()
    assert shown.find("{*}label").text == "a"


def test_xml_body_is_typed_by_the_schema(client):
    echoed = client.post(
        "/v1.0/test/echo",
        b"<vnic><label>x</label><mtu>1500</mtu><bound>true</bound><tags><tag>a</tag><tag>b</tag></tags></vnic>",
        content_type=XML,
    ).json()
    assert echoed == {"vnic": {"label": "x", "mtu": 1500, "bound": True, "tags": ["a", "b"]}}


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"vnic": {}}, "vnic.label", "is required"),
        ({"vnic": {"label": "x" * 256}}, "vnic.label", "is too long"),
        ({"vnic": {"label": "a", "mtu": 10}}, "vnic.mtu", "less than the minimum of 68"),
        ({"vnic": {"label": "a", "color": "red"}}, "vnic", "'color' was unexpected"),
        ({"wrong": {}}, "vnic", "is required"),
    ],
)
def test_schema_errors_name_field_and_rule(client, body, field, rule):
    reply = client.post("/v1.0/test/vnics", body)
    assert reply.status == 400
    message = reply.json()["badRequest"]["message"]
    assert f"'{field}'" in message and rule in message


def test_bad_bodies(client):
    assert client.post("/v1.0/test/vnics", b"{not json").status == 400
    assert client.post("/v1.0/test/vnics", b"").status == 400
    reply = client.post(
        "/v1.0/test/vnics", b"label=a", content_type="application/x-www-form-urlencoded"
    )
    assert reply.status == 415
    assert reply.json()["badMediaType"]["code"] == 415


def test_body_over_the_limit_is_413(client, conf):
    reply = client.post(
        "/v1.0/test/vnics",
        b'{"vnic": {"label": "' + b"x" * conf.api.max_request_body_size + b'"}}',
    )
    assert reply.status == 413
    assert reply.json()["overLimit"]["code"] == 413


def test_billion_laughs_is_400_and_the_app_still_answers(client):
    from tests.unit.core.wsgi.test_serializers import BILLION_LAUGHS

    reply = client.post("/v1.0/test/vnics", BILLION_LAUGHS, content_type=XML, accept=XML)
    assert reply.status == 400
    assert reply.xml().tag.endswith("badRequest")
    assert client.get("/").status == 200


def test_an_unexpected_plugin_error_is_a_500_that_leaks_nothing(client, caplog):
    reply = client.get("/v1.0/test/explode")
    assert reply.status == 500
    assert "secret internal detail" not in reply.body.decode()
    assert "networkServiceFault" in reply.json()
    assert "failed in plugin 'test'" in caplog.text and "secret internal detail" in caplog.text


def test_admin_only_is_403_for_members(client, admin):
    assert client.get("/v1.0/test/admin_thing").status == 403
    assert admin.get("/v1.0/test/admin_thing").status == 200


def test_another_projects_vnic_is_404(client):
    vnic = client.post("/v1.0/test/vnics", {"vnic": {"label": "mine"}}).json()["vnic"]
    other = client.as_project("p2")
    assert other.get(f"/v1.0/test/vnics/{vnic['id']}").status == 404
    assert other.get("/v1.0/test/vnics").json()["vnics"] == []


def test_routing_check_names_both_plugins(client, admin):
    assert (
        admin.put(
            "/v1.0/projects/p1/network_service", {"network_service": {"name": "test_other"}}
        ).status
        == 200
    )
    reply = client.get("/v1.0/test/vnics")
    assert reply.status == 409
    message = reply.json()["conflictingRequest"]["message"]
    assert "'test_other'" in message and "'test'" in message
    assert client.get("/v1.0/test_other/vnics").status == 200
    # Admins manage every service.
    assert admin.get("/v1.0/test/vnics").status == 200


def test_malformed_project_header_is_400(client):
    reply = client.as_project("bad id!").get("/v1.0/network_services")
    assert reply.status == 400
    assert "X-Project-Id" in reply.json()["badRequest"]["message"]
