"""Issue 11, parts 2 and 3, on SQLite, PostgreSQL and MariaDB, with flat, flat_dhcp and vlan
side by side: one place decides which service serves a project, for admins, the manage
tools and compute too; a project's move is atomic with its creates; and a network in use
keeps its project and host unless an admin forces it."""

from __future__ import annotations

import subprocess
import threading

import pytest
import sqlalchemy as sa

from netservice.core import bootstrap, exceptions, projects
from netservice.core.api.router import build_app
from netservice.core.context import RequestContext
from netservice.core.programs import script
from netservice.testing.client import ApiClient
from netservice.testing.config import make_conf, write_config

ADMIN = RequestContext.admin("ops")
SERVICES = ["flat", "flat_dhcp", "vlan"]
CREATE_THREADS = 8
MAX_CREATES = 500  # per thread: the loop ends on the first refusal, or here


@pytest.fixture
def side_by_side(tmp_path, db_url):
    path = write_config(str(tmp_path / "cfg"), SERVICES, default="vlan", connection=db_url,
                        extra={"vlan": {"vlan_interface": "eth1"}})  # fmt: skip
    manager = bootstrap.open_services(make_conf(path))
    bootstrap.sync_schema(manager)
    # p3 is served by the default (vlan) without an association row; pf by flat.
    projects.set_network_service(manager, ADMIN, "pf", "flat")
    yield manager, path
    manager.database.dispose()


@pytest.fixture
def admin(side_by_side):
    manager, path = side_by_side
    return ApiClient(build_app(make_conf(path), manager), project_id="ops", roles=("admin",))


def _flat_vnics(manager, project_id: str, service: str = "flat") -> int:
    vnic = manager.get(service).vnics.schema.vnic
    with manager.database.transaction() as session:
        query = sa.select(sa.func.count()).where(vnic.project_id == project_id, vnic.deleted == 0)
        return int(session.scalar(query) or 0)


def _refused(reply, project: str, served_by: str, asked: str) -> None:
    assert reply.status == 409, reply.body
    message = reply.json()["conflictingRequest"]["message"]
    assert f"Project {project} is served by network service '{served_by}', not '{asked}'" in (
        message
    )


# --- part 2: every caller meets the same check ----------------------------------------


def test_an_admin_cannot_create_for_a_project_of_another_service(side_by_side, admin):
    manager, _ = side_by_side
    # Networks that belong to no project stay every admin's to manage.
    made = admin.post("/v1.0/flat/networks", {"network": {"label": "f", "cidr": "10.1.0.0/24"}})
    assert made.status == 201, made.body
    flat_net = made.json()["networks"][0]["id"]
    body = {"network": {"label": "x", "cidr": "10.2.0.0/24", "project_id": "p3"}}
    _refused(admin.post("/v1.0/flat/networks", body), "p3", "vlan", "flat")
    body = {"network": {"label": "x", "cidr": "10.3.0.0/24", "project_id": "pf"}}
    _refused(admin.post("/v1.0/vlan/networks", body), "pf", "flat", "vlan")
    vnic = {"vnic": {"project_id": "p3", "network_id": flat_net}}
    _refused(admin.post("/v1.0/flat/vnics", vnic), "p3", "vlan", "flat")
    _refused(admin.post("/v1.0/vlan/vnics", {"vnic": {"project_id": "pf"}}), "pf", "flat", "vlan")
    change = {"network": {"project_id": "p3"}}
    _refused(admin.put(f"/v1.0/flat/networks/{flat_net}", change), "p3", "vlan", "flat")
    # A port: the project of the VNIC decides.  pm's VNIC was made under flat,
    # then pm moved to vlan (forced, orphaning it): binding it in flat is refused.
    projects.set_network_service(manager, ADMIN, "pm", "flat")
    card = admin.post("/v1.0/flat/vnics", {"vnic": {"project_id": "pm"}})
    assert card.status == 201, card.body
    left = projects.set_network_service(manager, ADMIN, "pm", "vlan", force=True)
    assert left["vnics"] == 1
    port = {"port": {"vnic_id": card.json()["vnic"]["id"]}}
    _refused(admin.post("/v1.0/flat/ports", port), "pm", "vlan", "flat")
    # Compute's calls meet the same check: the agent binding pm's VNIC, and the
    # compute-facing service making a VNIC for p3.
    flat = manager.get("flat")
    wrong = "Project pm is served by network service 'vlan', not 'flat'"
    with pytest.raises(exceptions.WrongNetworkService, match=wrong):
        flat.get_net_agent().bind_vnics_to_ports(RequestContext("pm"), [port["port"]["vnic_id"]])
    wrong = "Project p3 is served by network service 'vlan', not 'flat'"
    with pytest.raises(exceptions.WrongNetworkService, match=wrong):
        flat.get_os_service().get_default_vnic_id(RequestContext("p3"))
    # A floating IP for a project of another service.
    manager.get("flat_dhcp").floating.create_range("203.0.113.0/30")
    fip = {"floating_ip": {"project_id": "p3"}}
    _refused(admin.post("/v1.0/flat_dhcp/floating_ips", fip), "p3", "vlan", "flat_dhcp")
    # Nothing was written by any refusal.
    assert _flat_vnics(manager, "p3") == 0
    assert admin.get("/v1.0/flat/networks/detail").json()["networks"][0]["project_id"] is None
    assert len(admin.get("/v1.0/flat/networks").json()["networks"]) == 1
    assert admin.get("/v1.0/vlan/networks").json()["networks"] == []


def test_vpn_change_is_refused_for_a_project_another_service_now_serves(side_by_side, admin):
    manager, _ = side_by_side
    body = {"network": {"label": "v", "cidr": "10.4.0.0/24", "project_id": "pv"}}
    assert admin.post("/v1.0/vlan/networks", body).status == 201
    vpns = manager.get("vlan").vpns
    before = vpns.get("pv")
    assert vpns.change("pv", "198.51.100.7", 1195).public_port == 1195
    # pv moves to flat (forced: its VLAN network stays, orphaned); its VPN can
    # no longer be changed through vlan, and nothing is written.
    projects.set_network_service(manager, ADMIN, "pv", "flat", force=True)
    wrong = "Project pv is served by network service 'flat', not 'vlan'"
    with pytest.raises(exceptions.WrongNetworkService, match=wrong):
        vpns.change("pv", "198.51.100.8", 1196)
    after = vpns.get("pv")
    assert (after.public_address, after.public_port) == ("198.51.100.7", 1195)
    assert before.network_id == after.network_id


@pytest.mark.parametrize(
    ("tool", "project", "served_by", "asked"),
    [
        ("netservice-flat-manage", "p3", "vlan", "flat"),
        ("netservice-flat-dhcp-manage", "p3", "vlan", "flat_dhcp"),
        ("netservice-vlan-manage", "pf", "flat", "vlan"),
    ],
)
def test_each_manage_tool_refuses_with_exit_1(side_by_side, tool, project, served_by, asked):
    _, path = side_by_side
    command = [script(tool), "--config-file", path, "network", "create", "--label", "x",
               "--fixed_range_v4", "10.9.0.0/24", "--project_id", project]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert (
        f"Project {project} is served by network service '{served_by}', not '{asked}'"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    listed = subprocess.run([script(tool), "--config-file", path, "network", "list"],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert listed.returncode == 0 and "10.9.0.0" not in listed.stdout


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # pr has an association row (flat), locked as a row...
        ("flat", "vlan"),
        # ...and pr served by the default (vlan) has none: MariaDB locks its gap.
        ("vlan", "flat"),
    ],
)
def test_network_set_racing_creates_strands_nothing(side_by_side, admin, old, new):
    """8 clients create VNICs for pr under ``old`` while pr moves to ``new``: every VNIC
    of pr under ``old`` committed before the move and was counted by it; every later
    create is refused."""
    manager, _ = side_by_side
    plugin = manager.get(old)
    body = {"network": {"label": "n", "cidr": "10.1.0.0/16", "num_networks": 1}}
    assert admin.post(f"/v1.0/{old}/networks", body).status == 201
    if old != manager.default_service:
        projects.set_network_service(manager, ADMIN, "pr", old)
    assert manager.service_name_for_project("pr") == (old, old == manager.default_service)
    pr = RequestContext("pr")
    start = threading.Barrier(CREATE_THREADS + 1)
    outcomes: dict[int, BaseException | None] = {}
    made = [0] * CREATE_THREADS

    def create(index: int) -> None:
        start.wait()
        try:
            for _ in range(MAX_CREATES):
                plugin.vnics.create_on(pr, instance_id=f"i-{index}")
                made[index] += 1
            outcomes[index] = None
        except Exception as err:  # the test checks which error ended each client
            outcomes[index] = err

    threads = [threading.Thread(target=create, args=(i,)) for i in range(CREATE_THREADS)]
    for thread in threads:
        thread.start()
    start.wait()
    for _ in range(2000):  # poll until the clients are under way
        if sum(made) >= CREATE_THREADS:
            break
        threading.Event().wait(0.005)
    left = projects.set_network_service(manager, ADMIN, "pr", new, force=True)
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    # Each client stopped on the refusal, or (SQLite's lock is not fair) finished
    # its creates before the move; at least one met the move.
    refused = [err for err in outcomes.values() if err is not None]
    assert len(outcomes) == CREATE_THREADS and refused
    for err in refused:
        assert isinstance(err, exceptions.WrongNetworkService), err
        assert f"Project pr is served by network service '{new}', not '{old}'" in str(err)
    # Not one VNIC landed under the old service after the move: all were counted.
    assert _flat_vnics(manager, "pr", old) == left["vnics"] == sum(made)
    assert manager.service_name_for_project("pr") == (new, False)


def test_network_set_without_force_refuses_and_keeps_the_service(side_by_side):
    manager, _ = side_by_side
    flat = manager.get("flat")
    flat.networks.create(_request("10.1.0.0/24"))
    flat.vnics.create_on(RequestContext("pf"))
    with pytest.raises(exceptions.ProjectHasResources, match="1 vnics"):
        projects.set_network_service(manager, ADMIN, "pf", "vlan")
    assert manager.service_name_for_project("pf") == ("flat", False)
    flat.vnics.create_on(RequestContext("pf"))  # still flat's
    assert _flat_vnics(manager, "pf") == 2


def _request(cidr: str):
    from netservice.ipam.planner import NetworkRequest

    return NetworkRequest(label="n", cidr=cidr)


# --- part 3: nothing in use changes hands ---------------------------------------------


@pytest.fixture
def in_use(side_by_side, admin):
    """A vlan network of p1, served by net-1, with p1's VNIC bound on it."""
    body = {"network": {"label": "v", "cidr": "10.0.0.0/24", "num_networks": 1}}
    made = admin.post("/v1.0/vlan/networks", body)
    assert made.status == 201, made.body
    net = made.json()["networks"][0]
    # A first host is no change of hands; a network host has it before VNICs come.
    first = admin.put(f"/v1.0/vlan/networks/{net['id']}", {"network": {"host": "net-1"}})
    assert first.status == 200, first.body
    p1 = admin.as_project("p1")
    card = p1.post("/v1.0/vlan/vnics", {"vnic": {"instance_id": "i-1"}}).json()["vnic"]
    port = p1.post("/v1.0/vlan/ports", {"port": {"vnic_id": card["id"]}})
    assert port.status == 201, port.body
    return net["id"], card["id"], port.json()["port"]["address"]


def _network(admin, net_id):
    return admin.get(f"/v1.0/vlan/networks/{net_id}").json()["network"]


def test_a_network_in_use_keeps_its_project_and_host(admin, in_use):
    net_id, vnic_id, address = in_use
    before = _network(admin, net_id)
    assert (before["project_id"], before["host"]) == ("p1", "net-1")
    changes = [
        admin.post(f"/v1.0/vlan/networks/{net_id}/action", {"disassociate_project": None}),
        admin.post(f"/v1.0/vlan/networks/{net_id}/action", {"disassociate": None}),
        admin.put(f"/v1.0/vlan/networks/{net_id}", {"network": {"project_id": "p2"}}),
        admin.put(f"/v1.0/vlan/networks/{net_id}", {"network": {"host": "net-2"}}),
        admin.delete(f"/v1.0/vlan/networks/{net_id}"),
    ]
    for reply in changes:
        assert reply.status == 409, reply.body
        message = reply.json()["conflictingRequest"]["message"]
        assert f"Network {net_id} is in use" in message
    for reply in changes[:4]:
        message = reply.json()["conflictingRequest"]["message"]
        assert vnic_id in message and address in message and "force" in message
    assert _network(admin, net_id) == before
    port = admin.as_project("p1").get(f"/v1.0/vlan/ports/{vnic_id}")
    assert port.status == 200 and port.json()["port"]["address"] == address


def test_force_is_admin_only(admin, in_use):
    net_id, _, _ = in_use
    # A project admin of p1 is not an admin: the policy's force rule refuses it.
    member = admin.as_project("p1")
    forced = {"network": {"host": "net-2", "force": True}}
    assert member.put(f"/v1.0/vlan/networks/{net_id}", forced).status == 403
    assert member.delete(f"/v1.0/vlan/networks/{net_id}?force=true").status == 403
    assert member.post(f"/v1.0/vlan/networks/{net_id}/action?force=true",
                       {"disassociate_project": None}).status == 403  # fmt: skip
    assert _network(admin, net_id)["project_id"] == "p1"


def test_force_as_admin_names_what_it_orphaned(admin, in_use):
    net_id, vnic_id, address = in_use
    orphaned = {"vnics": [vnic_id], "fixed_ips": [address]}
    moved = admin.put(f"/v1.0/vlan/networks/{net_id}", {"network": {"host": "net-2",
                                                                     "force": True}})  # fmt: skip
    assert moved.status == 200, moved.body
    assert moved.json()["orphaned"] == orphaned
    assert moved.json()["network"]["host"] == "net-2"
    gone = admin.post(f"/v1.0/vlan/networks/{net_id}/action?force=true",
                      {"disassociate_project": None})  # fmt: skip
    assert gone.status == 200, gone.body
    assert gone.json()["orphaned"] == orphaned and gone.json()["network"]["project_id"] is None
    given = admin.put(f"/v1.0/vlan/networks/{net_id}?force=true",
                      {"network": {"project_id": "p2"}})  # fmt: skip
    assert given.status == 200 and given.json()["orphaned"] == orphaned
    deleted = admin.delete(f"/v1.0/vlan/networks/{net_id}?force=true")
    assert deleted.status == 200, deleted.body
    assert deleted.json()["orphaned"] == orphaned
    assert admin.get(f"/v1.0/vlan/networks/{net_id}").status == 404


def test_the_manage_tool_needs_force_for_a_network_in_use(side_by_side, in_use):
    _, path = side_by_side
    net_id, vnic_id, address = in_use
    tool = [script("netservice-vlan-manage"), "--config-file", path, "network"]
    refused = subprocess.run([*tool, "modify", net_id, "--disassociate-project"],
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert refused.returncode == 1, refused.stderr
    assert f"Network {net_id} is in use" in refused.stderr and vnic_id in refused.stderr
    forced = subprocess.run([*tool, "modify", net_id, "--disassociate-project", "--force"],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    assert "orphaned" in forced.stderr and vnic_id in forced.stderr and address in forced.stderr
    deleted = subprocess.run([*tool, "delete", "--uuid", net_id, "--force"],
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert deleted.returncode == 0, deleted.stderr
    assert vnic_id in deleted.stderr
