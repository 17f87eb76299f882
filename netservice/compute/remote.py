"""The VNIC service over REST, for net agents on compute hosts without the database.

A plugin's net agent works on a ``vnics`` object (get, bind, unbind,
network info, ...).  In the embedded default that is the plugin's own
service layer; with ``[agent] api_url`` it is ``RemoteVnics``, which asks the
plugin's REST API instead, so the same agent code runs in both places.
Requests carry the caller's project and roles, and ``[agent] auth_token``
(as ``X-Auth-Token``) for deployments behind keystone.
"""

from __future__ import annotations

import dataclasses
import datetime
import http.client
import json
import logging
import types
import urllib.parse
from collections.abc import Mapping
from typing import Any

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.network_info import NetworkInfo
from netservice.networks.domain import Vnic

LOG = logging.getLogger(__name__)

_FAULTS: dict[int, type[exceptions.NetserviceError]] = {
    400: exceptions.BadRequest,
    401: exceptions.NotAuthorized,
    403: exceptions.Forbidden,
    404: exceptions.NotFound,
    409: exceptions.Conflict,
    413: exceptions.QuotaExceeded,
}


@dataclasses.dataclass(frozen=True)
class AgentConfig:
    api_url: str
    auth_token: str | None = None
    timeout: float = 10.0


def from_config(plugin_context: Any) -> RemoteVnics | None:
    """A ``RemoteVnics`` for the plugin when ``[agent] api_url`` is set, else None."""
    conf = plugin_context.global_config
    if conf is None or not conf.agent.api_url:
        return None
    return RemoteVnics(
        AgentConfig(conf.agent.api_url, conf.agent.auth_token, conf.agent.timeout),
        plugin_context.name,
    )


class RemoteVnics:
    """What the agents call on a VNIC service, answered by ``/v1.0/<service>/``."""

    def __init__(self, config: AgentConfig, service: str) -> None:
        url = urllib.parse.urlsplit(config.api_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise exceptions.ConfigurationError(
                reason=f"[agent] api_url: {config.api_url!r} is not an http(s) URL"
            )
        self.config = config
        self.url = url
        self.prefix = f"{url.path.rstrip('/')}/v1.0/{service}"
        # Which caller asked about a VNIC last: the agent's later calls about
        # the same VNIC (address_of, network_of) carry no context of their own.
        self._callers: dict[str, RequestContext] = {}

    # --- HTTP ------------------------------------------------------------------------

    def _request(
        self,
        context: RequestContext,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        # The caller's request id travels as the global request id: the API
        # logs it next to the id it gives this call, tying the two together.
        headers = {
            "Accept": "application/json",
            "X-Openstack-Request-Id": context.global_request_id or context.request_id,
        }
        if context.project_id:
            headers["X-Project-Id"] = context.project_id
        if context.roles:
            headers["X-Roles"] = ",".join(context.roles)
        if self.config.auth_token:
            headers["X-Auth-Token"] = self.config.auth_token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        cls = (
            http.client.HTTPSConnection
            if self.url.scheme == "https"
            else http.client.HTTPConnection
        )
        conn = cls(self.url.hostname or "", self.url.port, timeout=self.config.timeout)
        try:
            conn.request(method, self.prefix + path, data, headers)
            reply = conn.getresponse()
            payload = reply.read()
        except OSError as err:
            raise exceptions.ServiceUnavailable(
                reason=f"network service API at {self.config.api_url} unreachable: {err}"
            ) from err
        finally:
            conn.close()
        if reply.status >= 400:
            raise self._fault(reply.status, payload)
        return json.loads(payload) if payload else None

    @staticmethod
    def _fault(status: int, payload: bytes) -> exceptions.NetserviceError:
        try:
            (fault,) = json.loads(payload).values()
            message = str(fault["message"])
        except (ValueError, KeyError, TypeError, AttributeError):
            message = payload[:200].decode(errors="replace")
        cls = _FAULTS.get(status, exceptions.ServiceUnavailable)
        if cls is exceptions.ServiceUnavailable:
            return exceptions.ServiceUnavailable(reason=f"API answered {status}: {message}")
        return cls(message)

    # --- what the agents call ---------------------------------------------------------

    def get(self, context: RequestContext, vnic_id: str) -> Vnic:
        """The VNIC; raises VnicNotFound (404) as the local service does.

        Its ``network_id`` is None: the API shows only the network's uuid.
        """
        try:
            body = self._request(context, "GET", f"/vnics/{urllib.parse.quote(vnic_id)}")
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        view = body["vnic"]
        self._callers[vnic_id] = context
        created = view.get("created_at")
        return Vnic(
            id=view["id"],
            mac=view["mac_address"],
            network_uuid=view["network_id"],
            project_id=view["project_id"],
            instance_id=view.get("instance_id"),
            created_at=datetime.datetime.fromisoformat(created) if created else None,
            address=view.get("address"),
        )

    def network_of(self, card: Vnic) -> Any:
        """The VNIC's network as the plugin's API shows it, its fields as attributes."""
        context = self._callers.get(card.id, RequestContext(card.project_id))
        body = self._request(context, "GET", f"/networks/{card.network_uuid}")
        return types.SimpleNamespace(**body["network"])

    def bind(self, context: RequestContext, vnic: str | Vnic, **_: Any) -> str:
        vnic_id = vnic if isinstance(vnic, str) else vnic.id
        self._callers[vnic_id] = context
        body = self._request(context, "POST", "/ports", {"port": {"vnic_id": vnic_id}})
        address: str = body["port"]["address"]
        return address

    def unbind(self, context: RequestContext, vnic_id: str) -> str | None:
        address = self.address_of(vnic_id, context)
        if address is not None:
            self._request(context, "DELETE", f"/ports/{urllib.parse.quote(vnic_id)}")
        return address

    def address_of(self, vnic_id: str, context: RequestContext | None = None) -> str | None:
        caller = context or self._callers.get(vnic_id)
        if caller is None:
            raise exceptions.VnicNotFound(vnic_id=vnic_id)
        try:
            body = self._request(caller, "GET", f"/vnics/{urllib.parse.quote(vnic_id)}")
        except exceptions.NotFound:
            raise exceptions.VnicNotFound(vnic_id=vnic_id) from None
        address: str | None = body["vnic"].get("address")
        return address

    def network_info(self, card: Vnic, network: Any, address: str | None) -> NetworkInfo:
        context = self._callers.get(card.id, RequestContext(card.project_id))
        body = self._request(context, "GET", f"/vnics/{urllib.parse.quote(card.id)}/network_info")
        info: NetworkInfo = body["network_info"]
        return info
