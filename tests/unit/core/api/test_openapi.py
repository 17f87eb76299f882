"""The OpenAPI document is derived from the routes, schemas and decorators."""

from __future__ import annotations

from netservice.core.api import openapi
from netservice.core.api.instances import ATTACH_SCHEMA
from netservice.testing.client import ApiClient


def _document(app):
    reply = ApiClient(app, project_id=None).get("/v1.0/openapi.json")
    assert reply.status == 200
    return reply.json()


def test_served_without_identity_and_lists_core_and_plugin_routes(app):
    doc = _document(app)
    assert doc["openapi"] == openapi.OPENAPI_VERSION
    paths = doc["paths"]
    assert set(paths["/v1.0/instances/{instance_id}/vnics"]) == {"get", "post", "delete"}
    # The test plugins' routes are there, under their prefixes.
    assert "/v1.0/test/vnics" in paths and "/v1.0/test_other/vnics" in paths
    assert paths["/v1.0/openapi"]["get"]["security"] == []


def test_bodies_statuses_and_paging_come_from_the_code(app):
    paths = _document(app)["paths"]
    attach = paths["/v1.0/instances/{instance_id}/vnics"]["post"]
    assert attach["requestBody"]["content"]["application/json"]["schema"] == ATTACH_SCHEMA
    assert "201" in attach["responses"] and "415" in attach["responses"]
    detach = paths["/v1.0/instances/{instance_id}/vnics"]["delete"]
    assert "204" in detach["responses"] and "requestBody" not in detach
    listing = paths["/v1.0/instances/{instance_id}/vnics"]["get"]
    names = [p["name"] for p in listing["parameters"]]
    assert names == ["instance_id", "limit", "marker"]
    show = paths["/v1.0/network_services/{id}"]["get"]
    assert [p["name"] for p in show["parameters"]] == ["id"]


def test_operation_ids_are_unique_and_faults_are_described(app):
    doc = _document(app)
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    fault = doc["components"]["schemas"]["itemNotFound"]
    assert fault["required"] == ["itemNotFound"]
    assert doc["components"]["responses"]["404"]["content"]["application/json"]
