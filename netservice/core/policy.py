"""Authorisation: oslo.policy with the default rules kept in code.

Admin-only actions answer 403 to others.  Actions on a resource that belongs
to a project answer 404 to other projects, as if it did not exist, so ids
cannot be probed (``authorize(..., hide=True)``).  The ``reader`` role reads
its project and changes nothing (403).  Every rule a route names is a
``DocumentedRuleDefault`` listing the operations it guards (docs/policy.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from oslo_config import cfg
from oslo_policy import policy

from netservice.core import exceptions
from netservice.core.context import RequestContext

ADMIN = "role:admin"
ADMIN_OR_OWNER = "rule:context_is_admin or project_id:%(project_id)s"
# Keystone gives a member's token the implied reader role too, so "read only"
# is a reader that is neither member nor admin.  A caller with no role at all
# (noauth without X-Roles) keeps the member's rights, as before readers.
READ_ONLY = "role:reader and not role:member and not role:admin"
ADMIN_OR_MEMBER = "rule:context_is_admin or (project_id:%(project_id)s and not rule:read_only)"

# The rules other rules name.  Their names are a promise to operators'
# policy files and to plugins (``netservice.networks.policies``).
BASE_RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("context_is_admin", ADMIN, "Who is an admin."),
    policy.RuleDefault("admin_only", "rule:context_is_admin", "Admin-only actions."),
    policy.RuleDefault(
        "admin_or_owner",
        ADMIN_OR_OWNER,
        "Reads of a project's resources: any role in the owner project (reader too), or an admin.",
    ),
    policy.RuleDefault(
        "read_only", READ_ONLY, "The reader persona: may read its project, change nothing."
    ),
    policy.RuleDefault(
        "admin_or_member",
        ADMIN_OR_MEMBER,
        "Changes to a project's resources: the owner project unless read-only, or an admin.",
    ),
]

SCOPE = ["project"]
_V = "/v1.0"


def documented(
    name: str, check: str, text: str, operations: list[tuple[str, str]]
) -> policy.DocumentedRuleDefault:
    """A rule with the REST operations (method, path) it guards, project-scoped."""
    return policy.DocumentedRuleDefault(
        name=name,
        check_str=check,
        description=text,
        operations=[{"method": method, "path": path} for method, path in operations],
        scope_types=SCOPE,
    )


CORE_RULES: list[policy.RuleDefault] = [
    *BASE_RULES,
    documented(
        "network_services:list",
        "",
        "List the loaded network services, or show one.",
        [("GET", f"{_V}/network_services"), ("GET", f"{_V}/network_services/{{id}}")],
    ),
    documented(
        "project_network_service:get",
        "rule:admin_or_owner",
        "Show a project's network service.",
        [("GET", f"{_V}/projects/{{project_id}}/network_service")],
    ),
    documented(
        "project_network_service:set",
        "rule:admin_only",
        "Associate a project with a service.",
        [("PUT", f"{_V}/projects/{{project_id}}/network_service")],
    ),
    documented(
        "project_network_service:delete",
        "rule:admin_only",
        "Drop a project's association.",
        [("DELETE", f"{_V}/projects/{{project_id}}/network_service")],
    ),
    documented(
        "instance_vnics:get",
        "rule:admin_or_owner",
        "List an instance's VNICs.",
        [("GET", f"{_V}/instances/{{instance_id}}/vnics")],
    ),
    documented(
        "instance_vnics:attach",
        "rule:admin_or_member",
        "Attach VNICs.",
        [("POST", f"{_V}/instances/{{instance_id}}/vnics")],
    ),
    documented(
        "instance_vnics:detach",
        "rule:admin_or_member",
        "Detach VNICs.",
        [
            ("DELETE", f"{_V}/instances/{{instance_id}}/vnics"),
            ("DELETE", f"{_V}/instances/{{instance_id}}/vnics/{{vnic_id}}"),
        ],
    ),
]


def list_rules() -> list[policy.RuleDefault]:
    """The ``netservice`` namespace of ``oslo.policy.policies``: the core's rules."""
    return list(CORE_RULES)


# How long a decision is reused.  oslo.policy re-reads a changed policy file
# on its next check, so an edit takes effect within this many seconds.
DECISION_TTL_SECONDS = 5.0
_DecisionKey = tuple[str, tuple[tuple[str, str], ...], object, object, tuple[str, ...]]


class Policy:
    """One enforcer per process, with the core's and the plugins' defaults.

    Every request asks at least twice (is the caller an admin, may they do
    this), and each oslo.policy check looks for the policy file on disk and
    introspects its check functions: about 0.4 ms.  A decision depends only
    on the action, the target and the credentials, so it is reused for
    ``DECISION_TTL_SECONDS``.
    """

    def __init__(
        self, conf: cfg.ConfigOpts, extra_rules: Iterable[policy.RuleDefault] = ()
    ) -> None:
        self._enforcer = policy.Enforcer(conf)
        self._enforcer.register_defaults(CORE_RULES)
        self._enforcer.register_defaults(list(extra_rules))
        self._decisions: dict[_DecisionKey, bool] = {}
        self._expires = 0.0

    def registered_rules(self) -> Mapping[str, policy.RuleDefault]:
        """Every default rule, by name: the core's and the plugins'."""
        return dict(self._enforcer.registered_rules)

    def is_admin(self, credentials: Mapping[str, Any]) -> bool:
        """Whether ``context_is_admin`` holds for these credentials."""
        return self._decide("context_is_admin", {}, credentials)

    def authorize(
        self,
        context: RequestContext,
        action: str,
        target: Mapping[str, Any] | None = None,
        *,
        hide: bool = False,
    ) -> None:
        """Raise unless ``context`` may do ``action`` on ``target``.

        With ``hide`` a refusal is NotFound (404) when the target belongs to
        another project: use it for project-owned resources.  Otherwise (and
        for a read-only caller's own project) it is Forbidden (403).
        """
        if target is None:
            target = {"project_id": context.project_id}
        if self._decide(action, target, context.policy_credentials()):
            return
        if hide and target.get("project_id") != context.project_id:
            raise exceptions.NotFound()
        raise exceptions.Forbidden(action=action)

    def _decide(
        self, action: str, target: Mapping[str, Any], credentials: Mapping[str, Any]
    ) -> bool:
        now = time.monotonic()
        if now >= self._expires:
            # Swap in a fresh dict rather than clear(): other threads may read.
            self._decisions = {}
            self._expires = now + DECISION_TTL_SECONDS
        key: _DecisionKey = (
            action,
            tuple(sorted((str(k), str(v)) for k, v in target.items())),
            credentials.get("project_id"),
            credentials.get("user_id"),
            tuple(sorted(credentials.get("roles", ()))),
        )
        decisions = self._decisions
        allowed = decisions.get(key)
        if allowed is None:
            allowed = bool(
                self._enforcer.authorize(action, dict(target), dict(credentials), do_raise=False)
            )
            decisions[key] = allowed
        return allowed
