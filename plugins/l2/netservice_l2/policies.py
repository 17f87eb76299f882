"""l2's default policy rules (namespace ``netservice.l2``), and the rule of each route.

Registered under ``oslo.policy.policies`` and ``oslo.policy.enforcer`` in
setup.cfg, and as the plugin's ``POLICY_RULES``.
"""

from __future__ import annotations

from netservice.core.policy_enforcer import plugin_enforcer
from netservice.networks.policies import ADMIN, ANYONE, MEMBER, OWNER, Table, documented_rules
from oslo_policy import policy

PLUGIN = "l2"

TABLE: Table = [
    ("network:list", ANYONE, "List the l2 networks a project may use.", [("GET", "/networks")]),
    ("network:show", ANYONE, "Show an l2 network.", [("GET", "/networks/{id}")]),
    ("network:create", ADMIN, "Create an l2 network (a bridge, VLAN or VNI).",
     [("POST", "/networks")]),
    ("network:update", ADMIN, "Rename an l2 network or give it to a project (or none).",
     [("PUT", "/networks/{id}")]),
    ("network:delete", ADMIN, "Delete an l2 network with no VNICs.",
     [("DELETE", "/networks/{id}")]),
    ("vnic:list", OWNER, "List the project's VNICs (admins: all).", [("GET", "/vnics")]),
    ("vnic:create", MEMBER, "Create a VNIC on an l2 network.", [("POST", "/vnics")]),
    ("vnic:get", OWNER, "Show a VNIC and its network info.",
     [("GET", "/vnics/{id}"), ("GET", "/vnics/{id}/network_info")]),
    ("vnic:delete", MEMBER, "Delete a VNIC.", [("DELETE", "/vnics/{id}")]),
]  # fmt: skip

# collection -> controller action -> rule
ROUTE_RULES = {
    "networks": {"index": "network:list", "show": "network:show", "create": "network:create",
                 "update": "network:update", "delete": "network:delete"},
    "vnics": {"index": "vnic:list", "create": "vnic:create", "show": "vnic:get",
              "delete": "vnic:delete"},
}  # fmt: skip

RULES: list[policy.RuleDefault] = documented_rules(PLUGIN, TABLE)


def route_rules(collection: str) -> dict[str, str]:
    return {action: f"{PLUGIN}:{rule}" for action, rule in ROUTE_RULES[collection].items()}


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)


def get_enforcer() -> policy.Enforcer:
    return plugin_enforcer(RULES)
