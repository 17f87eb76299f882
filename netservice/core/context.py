"""The caller of a request, as the plugins see it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from oslo_context import context as oslo_context


class RequestContext(oslo_context.RequestContext):
    """Who is asking: their project, user and roles, and the request's ids.

    oslo.context's RequestContext, so oslo.log prints the request id,
    project and user on every line logged while the request is served, and
    the global request id a caller sent (``X-Openstack-Request-Id``) next to
    it.  Built by the auth middleware for REST calls, and by the CLIs and the
    compute driver for in-process calls (``RequestContext.admin()``).  The
    project comes first, so ``RequestContext("p1")`` is project p1's context.
    """

    def __init__(
        self,
        project_id: str | None = None,
        user_id: str | None = None,
        roles: Iterable[str] = (),
        is_admin: bool = False,
        request_id: str | None = None,
        *,
        global_request_id: str | None = None,
        overwrite: bool = False,
        **kwargs: Any,
    ) -> None:
        # overwrite=False: only the API's middleware makes a context the
        # thread's current one (for log lines that are not handed one).
        super().__init__(
            project_id=project_id,
            user_id=user_id,
            roles=list(roles),
            is_admin=is_admin,
            request_id=request_id,
            global_request_id=global_request_id,
            overwrite=overwrite,
            **kwargs,
        )

    @classmethod
    def admin(cls, project_id: str | None = None) -> RequestContext:
        """A context for operator tools, which act with admin rights."""
        return cls(project_id=project_id, user_id="admin", roles=("admin",), is_admin=True)

    def policy_credentials(self) -> dict[str, object]:
        """The credentials oslo.policy checks rules against."""
        return {
            "project_id": self.project_id,
            "user_id": self.user_id,
            "roles": list(self.roles),
            "is_admin": self.is_admin,
        }
