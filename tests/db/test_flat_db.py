"""The flat service layer through REST on every backend."""

from __future__ import annotations

import pytest

from netservice.core import bootstrap
from netservice.core.api.router import build_app
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config


@pytest.fixture
def flat_db_client(tmp_path, db_url):
    path = write_config(str(tmp_path / "flatcfg"), ["flat"], default="flat", connection=db_url)
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    yield ApiClient(build_app(make_conf(path), manager), project_id="p1")
    manager.database.dispose()


def test_rest_round_trip_and_bad_input(flat_db_client):
    api = flat_db_client
    admin = api.as_project("ops", "admin")
    net = admin.post("/v1.0/flat/networks", {"network": {"label": "a", "cidr": "10.0.0.0/24"}})
    assert net.status == 201
    net_id = net.json()["networks"][0]["id"]
    overlap = admin.post(
        "/v1.0/flat/networks",
        {"network": {"label": "b", "cidr": "10.0.0.0/23", "num_networks": 2, "network_size": 256}},
    )
    assert overlap.status == 409
    assert len(admin.get("/v1.0/flat/networks").json()["networks"]) == 1
    vnic = api.post("/v1.0/flat/vnics", {"vnic": {}}).json()["vnic"]
    port = api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}}).json()["port"]
    assert port["address"] == "10.0.0.2"
    assert api.post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}}).status == 201
    assert admin.delete(f"/v1.0/flat/networks/{net_id}").status == 409
    foreign = api.as_project("p2").post("/v1.0/flat/ports", {"port": {"vnic_id": vnic["id"]}})
    assert foreign.status == 404
    assert api.delete(f"/v1.0/flat/vnics/{vnic['id']}").status == 204
    assert admin.delete(f"/v1.0/flat/networks/{net_id}").status == 204
