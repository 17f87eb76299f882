"""Flat's default policy rules, registered by the core."""

from __future__ import annotations

from oslo_policy import policy

ADMIN = "rule:admin_only"
OWNER = "rule:admin_or_owner"
ANYONE = ""

RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("flat:network:list", ANYONE, "List the networks a project may use."),
    policy.RuleDefault("flat:network:show", ANYONE, "Show a network."),
    policy.RuleDefault("flat:network:create", ADMIN, "Create networks (network create)."),
    policy.RuleDefault("flat:network:delete", ADMIN, "Delete a network."),
    policy.RuleDefault("flat:network:update", ADMIN, "Associate a project or host."),
    policy.RuleDefault("flat:vnic:create", OWNER, "Create a VNIC."),
    policy.RuleDefault("flat:vnic:get", OWNER, "Show a VNIC and its network info."),
    policy.RuleDefault("flat:vnic:delete", OWNER, "Delete a VNIC."),
    policy.RuleDefault("flat:port:create", OWNER, "Bind a VNIC to a fixed IP."),
    policy.RuleDefault("flat:port:get", OWNER, "Show a port."),
    policy.RuleDefault("flat:port:delete", OWNER, "Unbind a VNIC, freeing its fixed IP."),
    policy.RuleDefault("flat:fixed_ip:list", ADMIN, "List used and reserved fixed IPs."),
    policy.RuleDefault("flat:fixed_ip:get", ADMIN, "Show a fixed IP."),
    policy.RuleDefault("flat:fixed_ip:reserve", ADMIN, "Reserve or unreserve a fixed IP."),
]
