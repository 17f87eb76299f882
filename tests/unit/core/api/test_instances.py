"""GET|POST|DELETE /v1.0/instances/{instance_id}/vnics."""

from __future__ import annotations

from netservice.core import exceptions


def new_vnic(client, label="n"):
    return client.post("/v1.0/test/vnics", {"vnic": {"label": label}}).json()["vnic"]["id"]


def test_attach_list_detach(client):
    first, second = new_vnic(client), new_vnic(client)
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": first}}).status == 201
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": second}}).status == 201
    listed = client.get("/v1.0/instances/i-1/vnics").json()["vnics"]
    assert [v["id"] for v in listed] == [first, second]
    assert client.delete(f"/v1.0/instances/i-1/vnics/{first}").status == 204
    assert [v["id"] for v in client.get("/v1.0/instances/i-1/vnics").json()["vnics"]] == [second]
    assert client.delete("/v1.0/instances/i-1/vnics").status == 204
    assert client.get("/v1.0/instances/i-1/vnics").status == 404
    assert client.delete("/v1.0/instances/i-1/vnics").status == 204  # idempotent


def test_attaching_twice_is_idempotent_but_elsewhere_conflicts(client):
    vnic = new_vnic(client)
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": vnic}}).status == 201
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": vnic}}).status == 201
    reply = client.post("/v1.0/instances/i-2/vnics", {"vnic": {"id": vnic}})
    assert reply.status == 409
    assert "i-1" in reply.json()["conflictingRequest"]["message"]


def test_unknown_or_foreign_vnic_is_404(client):
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": "nosuch"}}).status == 404
    theirs = new_vnic(client.as_project("p2"))
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": theirs}}).status == 404


def test_another_projects_instance_is_invisible(client):
    client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": new_vnic(client)}})
    other = client.as_project("p2")
    assert other.get("/v1.0/instances/i-1/vnics").status == 404
    assert other.delete("/v1.0/instances/i-1/vnics").status == 404
    assert other.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": new_vnic(other)}}).status == 404
    assert len(client.get("/v1.0/instances/i-1/vnics").json()["vnics"]) == 1


def test_a_vnic_deleted_while_it_was_being_attached_is_taken_back(client, manager, monkeypatch):
    """The delete committed between the check and the attach: its row must not stay."""
    vnic = new_vnic(client)
    agent = manager.get("test").get_net_agent()
    check = agent.get_network_info
    calls = []

    def deleted_after_the_first_look(context, vnic_id):
        calls.append(vnic_id)
        if len(calls) > 1:
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        return check(context, vnic_id)

    monkeypatch.setattr(agent, "get_network_info", deleted_after_the_first_look)
    assert client.post("/v1.0/instances/i-1/vnics", {"vnic": {"id": vnic}}).status == 404
    assert client.get("/v1.0/instances/i-1/vnics").status == 404
    assert len(calls) == 2
