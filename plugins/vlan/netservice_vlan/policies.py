"""VLAN's default policy rules: the ``netservice.vlan`` policy namespace.

Registered under ``oslo.policy.policies`` (for oslopolicy-sample-generator)
and ``oslo.policy.enforcer`` (for oslopolicy-policy-generator,
-list-redundant and -validator), and as the plugin's ``POLICY_RULES``.
"""

from __future__ import annotations

from netservice.core.policy_enforcer import plugin_enforcer
from netservice.networks import policies
from oslo_policy import policy

NAME = "vlan"

_VLAN_RULES: policies.Table = [
    ("network:associate", policies.ADMIN, "Associate or disassociate a network's project or "
     "host (network actions).", [("POST", "/networks/{id}/action")]),
    ("network:add", policies.ADMIN, "Give a project a free network, or the one named.",
     [("POST", "/networks/add")]),
    ("port:vpn", policies.ADMIN, "Bind a VNIC to its network's VPN address: the project's "
     "VPN instance.", [("POST", "/ports")]),
    ("vpn:get", policies.OWNER, "Show a project's VPN address and port.",
     [("GET", "/projects/{project_id}/vpn")]),
    ("vpn:list", policies.ADMIN, "List every project's VPN.", [("GET", "/vpns")]),
    ("vpn:change", policies.ADMIN, "Change a project's VPN address and port (vpn change).",
     [("PUT", "/projects/{project_id}/vpn")]),
]  # fmt: skip

RULES: list[policy.RuleDefault] = [
    *policies.rules(NAME, floating=True, dhcp=True),
    *policies.documented_rules(NAME, _VLAN_RULES),
]


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)


def get_enforcer() -> policy.Enforcer:
    return plugin_enforcer(RULES)
