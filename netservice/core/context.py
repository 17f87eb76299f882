"""The caller of a request, as the plugins see it."""

from __future__ import annotations

import dataclasses
import uuid


@dataclasses.dataclass(frozen=True)
class RequestContext:
    """Who is asking: their project, user and roles.

    Built by the auth middleware for REST calls, and by the CLIs and the
    compute driver for in-process calls (``RequestContext.admin()``).
    """

    project_id: str | None
    user_id: str | None = None
    roles: tuple[str, ...] = ()
    is_admin: bool = False
    request_id: str = dataclasses.field(default_factory=lambda: f"req-{uuid.uuid4()}")

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
