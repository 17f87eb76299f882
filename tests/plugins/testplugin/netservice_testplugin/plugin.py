"""The test plugin: real tables and routes, no data plane."""

from __future__ import annotations

import json
import os
import random
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from oslo_policy import policy

from netservice.core import exceptions
from netservice.core.api_service import APIService
from netservice.core.context import RequestContext
from netservice.core.db.migration import MigrationBranch
from netservice.core.dhcp import DhcpLeaseHandler, Lease
from netservice.core.net_agent import NetAgent
from netservice.core.net_service import NetService
from netservice.core.network_info import NetworkInfo
from netservice.core.os_service import OSService
from netservice.core.plugin import AssembledPlugin, PluginContext
from netservice.core.registry import Claim
from netservice.core.routemap import PluginRoutes
from netservice.core.wsgi import Controller, Request, expects, links, paged, status
from netservice_testplugin.models import Vnic
from netservice_testplugin.segments import Segments

BRANCH = MigrationBranch(
    name="testplugin",
    script_location=os.path.join(os.path.dirname(__file__), "migrations"),
    version_table="testplugin_alembic_version",
)

VNIC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "vnic": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "minLength": 1, "maxLength": 255},
                "mtu": {"type": "integer", "minimum": 68, "maximum": 9000},
                "bound": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["label"],
            "additionalProperties": False,
        }
    },
    "required": ["vnic"],
    "additionalProperties": False,
}


class Store:
    def __init__(self, context: PluginContext) -> None:
        self.db = context.database
        self.service = context.name
        self.notifier = context.notifier

    def create(self, project_id: str, label: str = "", mtu: int = 1500) -> Vnic:
        mac = "fa:16:3e:" + ":".join(f"{random.randint(0, 255):02x}" for _ in range(3))
        row = Vnic(
            id=str(uuid.uuid4()),
            service=self.service,
            project_id=project_id,
            mac=mac,
            label=label,
            mtu=mtu,
        )
        with self.db.writer() as session:
            session.add(row)
            if self.notifier is not None:
                self.notifier.notify(session, self.service, "vnics")
        return row

    def get(self, context: RequestContext, vnic_id: str) -> Vnic:
        with self.db.writer() as session:
            row = session.scalar(
                sa.select(Vnic).where(
                    Vnic.id == vnic_id, Vnic.service == self.service, Vnic.deleted == 0
                )
            )
        if row is None or (not context.is_admin and row.project_id != context.project_id):
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        return row

    def list(self, context: RequestContext, marker: str | None, limit: int) -> list[Vnic]:
        query = (
            sa.select(Vnic)
            .where(Vnic.service == self.service, Vnic.deleted == 0)
            .order_by(Vnic.id)
        )
        if not context.is_admin:
            query = query.where(Vnic.project_id == context.project_id)
        if marker:
            query = query.where(Vnic.id > marker)
        with self.db.writer() as session:
            return list(session.scalars(query.limit(limit)))

    def count(self, project_id: str) -> int:
        # A read: a project's move counts while it holds the project's lock.
        with self.db.transaction() as session:
            return (
                session.scalar(
                    sa.select(sa.func.count()).where(
                        Vnic.service == self.service,
                        Vnic.project_id == project_id,
                        Vnic.deleted == 0,
                    )
                )
                or 0
            )

    def update(self, vnic_id: str, **values: Any) -> None:
        with self.db.writer() as session:
            session.execute(sa.update(Vnic).where(Vnic.id == vnic_id).values(**values))


def view(row: Vnic) -> dict[str, Any]:
    return {
        "id": row.id,
        "project_id": row.project_id,
        "mac_address": row.mac,
        "label": row.label,
        "mtu": row.mtu,
        "bound": row.bound,
    }


class VnicsController(Controller):
    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        page = req.page
        rows = self.store.list(req.context, page.marker, page.limit + 1)
        body: dict[str, Any] = {"vnics": [view(r) for r in rows[: page.limit]]}
        if len(rows) > page.limit:
            body["vnics_links"] = links(req, rows[page.limit - 1].id)
        return body

    @status(201)
    @expects(VNIC_SCHEMA)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.name}:vnic:create")
        wanted = body["vnic"]
        row = self.store.create(
            req.context.project_id or "", wanted["label"], wanted.get("mtu", 1500)
        )
        return {"vnic": view(row)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"vnic": view(self.store.get(req.context, id))}

    def delete(self, req: Request, id: str) -> None:
        row = self.store.get(req.context, id)
        self.store.update(row.id, deleted=1)

    def admin_only(self, req: Request) -> dict[str, Any]:
        req.authorize(f"{self.name}:admin_thing")
        return {"admin_thing": {"ok": True}}

    def explode(self, req: Request) -> dict[str, Any]:
        raise RuntimeError("secret internal detail")

    @expects(VNIC_SCHEMA)
    def echo(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        return body


class TestAPIService(APIService):
    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name

    def register_routes(self, routes: PluginRoutes) -> None:
        vnics = VnicsController(self.store, self.name)
        routes.resource("vnics", vnics)
        routes.connect("/admin_thing", vnics, "admin_only")
        routes.connect("/explode", vnics, "explode")
        routes.connect("/echo", vnics, "echo", ("POST",))


class TestOSService(OSService):
    def __init__(self, store: Store) -> None:
        self.store = store

    def get_default_vnic_id(self, context: RequestContext) -> str:
        return self.store.create(context.project_id or "").id

    def get_project_vpn_address_and_port(
        self, context: RequestContext, project_id: str
    ) -> tuple[str | None, int | None]:
        return None, None

    def get_project_resources(self, context: RequestContext, project_id: str) -> Mapping[str, int]:
        return {"vnics": self.store.count(project_id)}


class TestNetAgent(NetAgent):
    def __init__(self, store: Store) -> None:
        self.store = store

    def bind_vnics_to_ports(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self.store.update(self.store.get(context, vnic_id).id, bound=True)

    def setup_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self.store.get(context, vnic_id)

    def teardown_compute_network(self, context: RequestContext, vnic_ids: Sequence[str]) -> None:
        for vnic_id in vnic_ids:
            self.store.update(vnic_id, bound=False)

    def requires_file_injection(self, context: RequestContext, vnic_id: str) -> bool:
        return False

    def get_network_info(self, context: RequestContext, vnic_id: str) -> NetworkInfo:
        row = self.store.get(context, vnic_id)
        return NetworkInfo(
            cidr="10.9.0.0/24",
            cidr_v6=None,
            netmask="255.255.255.0",
            netmask_v6=None,
            gateway="10.9.0.1",
            gateway_v6=None,
            dhcp_server="10.9.0.1",
            broadcast="10.9.0.255",
            dns=["8.8.4.4"],
            ra_server=None,
            mac_address=row.mac,
            ip_address="10.9.0.2" if row.bound else None,
            address_v6=None,
            bridge="brtest",
        )

    def get_interface_xml(self, context: RequestContext, vnic_id: str) -> str:
        row = self.store.get(context, vnic_id)
        return (
            f"<interface type='bridge'><mac address='{row.mac}'/>"
            "<source bridge='brtest'/><model type='virtio'/></interface>"
        )


class FileLeaseHandler(DhcpLeaseHandler):
    """Appends every callback to a JSON-lines file, so tests can read what dnsmasq reported."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _record(self, **event: Any) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")

    def lease(self, network_id: str, mac: str, ip: str, hostname: str | None) -> None:
        self._record(event="lease", network_id=network_id, mac=mac, ip=ip, hostname=hostname)

    def release(self, network_id: str, mac: str, ip: str) -> None:
        self._record(event="release", network_id=network_id, mac=mac, ip=ip)

    def leases(self, network_id: str) -> list[Lease]:
        if not os.path.exists(self.path):
            return []
        current: dict[str, Lease] = {}
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                event = json.loads(line)
                if event["network_id"] != network_id:
                    continue
                if event["event"] == "lease":
                    current[event["mac"]] = Lease(0, event["mac"], event["ip"], event["hostname"])
                else:
                    current.pop(event["mac"], None)
        return list(current.values())


class LogNetService(NetService):
    """Appends one line per reconcile pass: 'all' or the network id."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _log(self, what: str) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(what + "\n")

    def reconcile(self) -> None:
        self._log("all")

    def reconcile_network(self, network_id: str) -> None:
        self._log(network_id)


class TestPlugin(AssembledPlugin):
    description = "Test network service"
    CONFIG_OPTS = [
        cfg.StrOpt("lease_file", help="Where DHCP callbacks are recorded."),
        cfg.StrOpt("reconcile_log", help="Where net-service passes are recorded."),
    ]
    POLICY_RULES = [
        policy.RuleDefault("test:vnic:create", "", "Create a VNIC."),
        policy.RuleDefault("test:admin_thing", "rule:admin_only", "Admin only."),
        policy.RuleDefault("test_other:vnic:create", "", "Create a VNIC."),
        policy.RuleDefault("test_other:admin_thing", "rule:admin_only", "Admin only."),
    ]

    def __init__(self, context: PluginContext) -> None:
        super().__init__(context)
        self.store = Store(context)
        self.segments = Segments(context)
        self._os = TestOSService(self.store)
        self._api = TestAPIService(self.store, context.name)
        self._agent = TestNetAgent(self.store)

    def get_dhcp_lease_handler(self) -> DhcpLeaseHandler | None:
        path = self.context.config.lease_file
        return FileLeaseHandler(path) if path else None

    def get_migrations(self) -> MigrationBranch | None:
        return BRANCH

    def registry_claims(self) -> Sequence[Claim]:
        return self.segments.claims()

    def get_net_service(self) -> NetService | None:
        path = self.context.config.reconcile_log
        return LogNetService(path) if path else None


class OtherTestPlugin(TestPlugin):
    description = "A second test network service"


class NamedTestPlugin(TestPlugin):
    """Listed by Python path in the service list, so it names itself."""

    name = "by_path"
