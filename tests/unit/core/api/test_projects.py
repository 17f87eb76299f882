"""GET|PUT|DELETE /v1.0/projects/{project_id}/network_service."""

from __future__ import annotations

import pytest

from netservice.core.wsgi import serializers

PATH = "/v1.0/projects/p1/network_service"


def test_default_until_associated(client, admin):
    assert client.get(PATH).json() == {
        "network_service": {"project_id": "p1", "name": "test", "default": True}
    }
    reply = admin.put(PATH, {"network_service": {"name": "test_other"}})
    assert reply.json()["network_service"] == {
        "project_id": "p1",
        "name": "test_other",
        "default": False,
    }
    assert client.get(PATH).json()["network_service"]["name"] == "test_other"
    assert admin.delete(PATH).status == 204
    assert client.get(PATH).json()["network_service"]["default"] is True


def test_put_in_xml(admin):
    reply = admin.put(
        PATH,
        b"<network_service><name>test_other</name></network_service>",
        content_type=serializers.XML,
        accept=serializers.XML,
    )
    assert reply.status == 200
    assert reply.xml().find("{*}name").text == "test_other"


def test_members_cannot_associate(client):
    reply = client.put(PATH, {"network_service": {"name": "test_other"}})
    assert reply.status == 403
    assert client.delete(PATH).status == 403


def test_another_projects_association_is_404(client):
    assert client.get("/v1.0/projects/p2/network_service").status == 404


def test_unloaded_service_names_the_loaded_ones(admin):
    reply = admin.put(PATH, {"network_service": {"name": "vlan"}})
    assert reply.status == 400
    assert "loaded: test, test_other" in reply.json()["badRequest"]["message"]


@pytest.mark.parametrize("bad", ["bad%20id", "-lead", "x" * 256])
def test_malformed_project_id(admin, bad):
    reply = admin.put(
        f"/v1.0/projects/{bad}/network_service", {"network_service": {"name": "test"}}
    )
    assert reply.status == 400
    assert "'project_id'" in reply.json()["badRequest"]["message"]


def test_moving_a_project_with_resources_needs_force(client, admin):
    client.post("/v1.0/test/vnics", {"vnic": {"label": "a"}})
    client.post("/v1.0/test/vnics", {"vnic": {"label": "b"}})
    reply = admin.put(PATH, {"network_service": {"name": "test_other"}})
    assert reply.status == 409
    message = reply.json()["conflictingRequest"]["message"]
    assert "2 vnics" in message and "'test'" in message and "force" in message
    assert client.get(PATH).json()["network_service"]["name"] == "test"  # nothing changed
    forced = admin.put(PATH, {"network_service": {"name": "test_other", "force": True}})
    assert forced.status == 200
    assert admin.delete(PATH).status == 204  # back to test: nothing under test_other
