"""Who is calling: the noauth and keystone pipelines.

``noauth`` trusts ``X-Project-Id``, ``X-User-Id`` and ``X-Roles`` as sent;
that is only safe on loopback, and ``netservice-api`` warns when it is bound
anywhere else.  ``keystone`` puts keystonemiddleware's ``auth_token`` in
front, which validates the token, strips any identity headers the client
sent and sets them from the token; the same context middleware then reads them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from oslo_config import cfg
from oslo_middleware import request_id

from netservice.core import exceptions, validation
from netservice.core.context import RequestContext
from netservice.core.policy import Policy
from netservice.core.wsgi.app import CONTEXT_ERROR_KEY
from netservice.core.wsgi.request import CONTEXT_KEY

LOG = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ContextMiddleware:
    """Builds the RequestContext from the identity headers."""

    def __init__(self, app: WSGIApp, policy: Policy, *, require_confirmed: bool) -> None:
        self.app = app
        self.policy = policy
        self.require_confirmed = require_confirmed

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        try:
            environ[CONTEXT_KEY] = self._context(environ)
        except exceptions.NetserviceError as err:
            # Deferred: public routes (GET /) need no identity, and the fault
            # must be serialised in the format the client asked for.
            environ[CONTEXT_ERROR_KEY] = err
        return self.app(environ, start_response)

    def _context(self, environ: dict[str, Any]) -> RequestContext:
        if self.require_confirmed and environ.get("HTTP_X_IDENTITY_STATUS") != "Confirmed":
            raise exceptions.NotAuthorized()
        project_id = environ.get("HTTP_X_PROJECT_ID") or environ.get("HTTP_X_TENANT_ID")
        if not project_id:
            raise exceptions.NotAuthorized(
                "No X-Project-Id header: every call except GET / is made on behalf of a project"
            )
        validation.project_id(project_id, field="X-Project-Id")
        roles = tuple(
            r.strip().lower() for r in environ.get("HTTP_X_ROLES", "").split(",") if r.strip()
        )
        user_id = environ.get("HTTP_X_USER_ID") or environ.get("HTTP_X_USER")
        credentials = {"project_id": project_id, "user_id": user_id, "roles": list(roles)}
        return RequestContext(
            project_id=project_id,
            user_id=user_id,
            roles=roles,
            is_admin=self.policy.is_admin(credentials),
            # Set by oslo.middleware's request_id: ours, and the caller's
            # (validated) X-Openstack-Request-Id as the global request id.
            request_id=environ.get(request_id.ENV_REQUEST_ID),
            global_request_id=environ.get(request_id.GLOBAL_REQ_ID),
            # The thread's current context: oslo.log prints its ids and
            # caller on every line logged while this request is served.
            overwrite=True,
        )


KEYSTONE_GROUP = "keystone_authtoken"


def check_keystone_options(conf: cfg.ConfigOpts) -> None:
    """Raise ConfigurationError naming what ``[keystone_authtoken]`` lacks.

    Without its credentials auth_token cannot validate a single token, and
    every request would answer 500; start-up stops instead.
    """
    from keystoneauth1 import exceptions as ksa_exceptions  # noqa: PLC0415 - optional extra
    from keystoneauth1 import loading  # noqa: PLC0415 - optional extra

    loading.register_auth_conf_options(conf, KEYSTONE_GROUP)
    if KEYSTONE_GROUP not in conf.list_all_sections():
        raise exceptions.ConfigurationError(
            reason=f"auth_strategy = keystone needs a [{KEYSTONE_GROUP}] section "
            "(auth_type, auth_url, username, password, ...)"
        )
    if not conf[KEYSTONE_GROUP].auth_type:
        raise exceptions.ConfigurationError(
            reason=f"auth_strategy = keystone needs [{KEYSTONE_GROUP}] auth_type "
            "(e.g. password) and that plugin's options"
        )
    try:
        loading.load_auth_from_conf_options(conf, KEYSTONE_GROUP)
    except ksa_exceptions.MissingRequiredOptions as err:
        names = ", ".join(opt.dest for opt in err.options)
        raise exceptions.ConfigurationError(
            reason=f"auth_strategy = keystone: [{KEYSTONE_GROUP}] lacks {names}"
        ) from err
    except ksa_exceptions.ClientException as err:
        raise exceptions.ConfigurationError(
            reason=f"auth_strategy = keystone: [{KEYSTONE_GROUP}] auth_type: {err}"
        ) from err


def pipeline(app: WSGIApp, conf: cfg.ConfigOpts, policy: Policy) -> WSGIApp:
    """Wrap ``app`` for ``[api] auth_strategy``."""
    strategy = conf.api.auth_strategy
    if strategy == "noauth":
        return ContextMiddleware(app, policy, require_confirmed=False)
    if strategy == "keystone":
        try:
            from keystonemiddleware import auth_token  # noqa: PLC0415 - optional extra
        except ImportError as err:
            raise exceptions.ConfigurationError(
                reason="auth_strategy = keystone needs keystonemiddleware: "
                "pip install 'netservice[keystone]'"
            ) from err
        check_keystone_options(conf)
        inner = ContextMiddleware(app, policy, require_confirmed=True)
        wrapped: WSGIApp = auth_token.AuthProtocol(inner, {"oslo_config_config": conf})
        return wrapped
    raise exceptions.ConfigurationError(reason=f"[api] auth_strategy: unknown value {strategy!r}")
