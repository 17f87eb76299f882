"""Flat's default policy rules: the ``netservice.flat`` policy namespace.

Registered under ``oslo.policy.policies`` (for oslopolicy-sample-generator)
and ``oslo.policy.enforcer`` (for oslopolicy-policy-generator,
-list-redundant and -validator), and as the plugin's ``POLICY_RULES``.
"""

from __future__ import annotations

from netservice.core.policy_enforcer import plugin_enforcer
from netservice.networks import policies
from oslo_policy import policy

RULES: list[policy.RuleDefault] = policies.rules("flat")


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)


def get_enforcer() -> policy.Enforcer:
    return plugin_enforcer(RULES)
