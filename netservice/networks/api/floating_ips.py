"""``/floating_ips`` (list, allocate, show, associate, disassociate, release),
``/floating_ip_pools``, and the operator's ``/floating_ips_bulk`` (create,
list, delete ranges), as nova's os-floating-ips, -pools and -bulk.

A floating IP is named by its address or its numeric id.  Another
project's answers 404.
"""

from __future__ import annotations

from typing import Any

from netservice.core import validation
from netservice.core.wsgi import Controller, Request, expects, links, paged, paginate, status
from netservice.floating.exceptions import FloatingIpNotFound
from netservice.floating.service import FloatingIps
from netservice.networks.api import schemas, views
from netservice.networks.domain import FloatingIp
from netservice.networks.floating import PluginFloatingIps


class FloatingIpsController(Controller):
    def __init__(self, plugin: str, floating: PluginFloatingIps) -> None:
        self.rule = f"{plugin}:floating_ip"
        self.service = floating
        self.floating: FloatingIps = floating.floating

    def _record(self, req: Request, id: str) -> FloatingIp:
        ctx = req.context
        if id.isascii() and id.isdigit():
            row_id = validation.db_id(id)
            if row_id is None:
                raise FloatingIpNotFound(address=f"with id {id}")
            return self.floating.get_floating_ip(row_id, context=ctx)
        return self.floating.get_floating_ip_by_address(id, context=ctx)

    def _held(self, req: Request, id: str, action: str) -> FloatingIp:
        record = self._record(req, id)
        req.authorize(f"{self.rule}:{action}", {"project_id": record.project_id}, hide=True)
        return record

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        """The caller's project's floating IPs; an admin sees every allocated one."""
        req.authorize(f"{self.rule}:list")
        ctx = req.context
        if ctx.is_admin:
            rows = [r for r in self.floating.list() if r.project_id is not None]
        else:
            rows = self.floating.get_floating_ips_by_project(ctx.project_id or "")
        chunk, marker = paginate(rows, req.page, key=lambda r: r.address)
        body: dict[str, Any] = {"floating_ips": [views.floating_ip(r) for r in chunk]}
        if marker:
            body["floating_ips_links"] = links(req, marker)
        return body

    @status(201)
    @expects(schemas.FLOATING_IP_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        wanted = body["floating_ip"]
        owner = wanted.get("project_id") or req.context.project_id
        req.authorize(f"{self.rule}:allocate", {"project_id": owner})
        record = self.floating.allocate(req.context, owner, wanted.get("pool"))
        return {"floating_ip": views.floating_ip(record)}

    def show(self, req: Request, id: str) -> dict[str, Any]:
        return {"floating_ip": views.floating_ip(self._held(req, id, "get"))}

    @expects(schemas.FLOATING_IP_ACTION)
    def action(self, req: Request, id: str, body: dict[str, Any]) -> dict[str, Any]:
        """``{"associate": {"fixed_address": A}}`` or ``{"disassociate": null}``."""
        if "associate" in body:
            record = self._held(req, id, "associate")
            fixed = body["associate"]["fixed_address"]
            self.service.associate(req.context, record.address, fixed)
        else:
            record = self._held(req, id, "disassociate")
            self.floating.disassociate(req.context, record.address)
        return {"floating_ip": views.floating_ip(self._record(req, record.address))}

    def delete(self, req: Request, id: str) -> None:
        """Release the floating IP back to its pool (refused while associated)."""
        record = self._held(req, id, "release")
        self.floating.deallocate(req.context, record.address)


class FloatingIpPoolsController(Controller):
    def __init__(self, plugin: str, floating: FloatingIps) -> None:
        self.rule = f"{plugin}:floating_ip_pool:list"
        self.floating = floating

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        req.authorize(self.rule)
        pools, marker = paginate(self.floating.get_floating_ip_pools(), req.page, key=str)
        body: dict[str, Any] = {"floating_ip_pools": [{"name": name} for name in pools]}
        if marker:
            body["floating_ip_pools_links"] = links(req, marker)
        return body


class FloatingIpsBulkController(Controller):
    """The operator's ranges: what ``floating create|list|delete`` do, over REST."""

    def __init__(self, plugin: str, floating: FloatingIps) -> None:
        self.rule = f"{plugin}:floating_ip"
        self.floating = floating

    @paged
    def index(self, req: Request) -> dict[str, Any]:
        req.authorize(f"{self.rule}:create")
        page = req.page
        host = req.GET.get("host") or None
        rows = self.floating.list(host, limit=page.limit + 1, marker=page.marker)
        chunk = rows[: page.limit]
        body: dict[str, Any] = {"floating_ips": [views.floating_ip(r) for r in chunk]}
        if len(rows) > page.limit:
            body["floating_ips_links"] = links(req, chunk[-1].address)
        return body

    @status(201)
    @expects(schemas.FLOATING_IPS_BULK_CREATE)
    def create(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.rule}:create")
        wanted = body["floating_ips_bulk_create"]
        count = self.floating.create_range(
            wanted["ip_range"], wanted.get("pool"), wanted.get("interface")
        )
        return {"floating_ips_bulk_create": {**wanted, "created": count}}

    @expects(schemas.FLOATING_IPS_BULK_DELETE)
    def delete_range(self, req: Request, body: dict[str, Any]) -> dict[str, Any]:
        req.authorize(f"{self.rule}:delete")
        count = self.floating.delete_range(body["ip_range"])
        return {"floating_ips_bulk_delete": {"ip_range": body["ip_range"], "deleted": count}}
