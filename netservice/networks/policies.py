"""The default policy rules of a plugin built on ``netservice.networks``.

Rule names are ``<plugin>:<resource>:<action>``; the routes of
``netservice.networks.api`` are guarded by exactly these (``ROUTE_RULES``),
and each rule lists the operations (method and path) it guards.

Reads of a project's resources are ``rule:admin_or_owner`` (the reader role
too), changes ``rule:admin_or_member`` (not the reader role), the operator's
actions ``rule:admin_only``; see ``netservice.core.policy``.
"""

from __future__ import annotations

from collections.abc import Mapping

from oslo_policy import policy

from netservice.core.policy import documented

ADMIN = "rule:admin_only"
OWNER = "rule:admin_or_owner"
MEMBER = "rule:admin_or_member"
ANYONE = ""

# (rule, check, description, [(method, path below /v1.0/<plugin>)])
Table = list[tuple[str, str, str, list[tuple[str, str]]]]

_RULES: Table = [
    ("network:list", ANYONE, "List the networks a project may use.",
     [("GET", "/networks"), ("GET", "/networks/detail")]),
    ("network:show", ANYONE, "Show a network.", [("GET", "/networks/{id}")]),
    ("network:create", ADMIN, "Create networks (network create).", [("POST", "/networks")]),
    ("network:delete", ADMIN, "Delete a network.", [("DELETE", "/networks/{id}")]),
    ("network:update", ADMIN, "Associate a project or host, or change the bridge interface.",
     [("PUT", "/networks/{id}")]),
    ("network:force", ADMIN, "Change or delete a network that has VNICs or fixed IPs (force).",
     [("PUT", "/networks/{id}"), ("DELETE", "/networks/{id}")]),
    ("vnic:create", MEMBER, "Create a VNIC.", [("POST", "/vnics")]),
    ("vnic:get", OWNER, "Show a VNIC and its network info.",
     [("GET", "/vnics/{id}"), ("GET", "/vnics/{id}/network_info")]),
    ("vnic:delete", MEMBER, "Delete a VNIC.", [("DELETE", "/vnics/{id}")]),
    ("port:create", MEMBER, "Bind a VNIC to a fixed IP.", [("POST", "/ports")]),
    ("port:get", OWNER, "Show a port.", [("GET", "/ports/{id}")]),
    ("port:delete", MEMBER, "Unbind a VNIC, releasing its fixed IP.",
     [("DELETE", "/ports/{id}")]),
    ("fixed_ip:list", ADMIN, "List used and reserved fixed IPs.", [("GET", "/fixed_ips")]),
    ("fixed_ip:get", ADMIN, "Show a fixed IP.", [("GET", "/fixed_ips/{id}")]),
    ("fixed_ip:reserve", ADMIN, "Reserve or unreserve a fixed IP.",
     [("POST", "/fixed_ips/{id}/action")]),
]  # fmt: skip

_FLOATING_RULES: Table = [
    ("floating_ip:list", ANYONE, "List the project's floating IPs (admins: all).",
     [("GET", "/floating_ips")]),
    ("floating_ip:allocate", MEMBER, "Allocate a floating IP from a pool.",
     [("POST", "/floating_ips")]),
    ("floating_ip:get", OWNER, "Show a floating IP.", [("GET", "/floating_ips/{id}")]),
    ("floating_ip:associate", MEMBER, "Associate a floating IP with a fixed IP.",
     [("POST", "/floating_ips/{id}/action")]),
    ("floating_ip:disassociate", MEMBER, "Disassociate a floating IP.",
     [("POST", "/floating_ips/{id}/action")]),
    ("floating_ip:release", MEMBER, "Release (deallocate) a floating IP.",
     [("DELETE", "/floating_ips/{id}")]),
    ("floating_ip_pool:list", ANYONE, "List the floating IP pools.",
     [("GET", "/floating_ip_pools")]),
    ("floating_ip:create", ADMIN, "List every floating IP, create floating IPs "
     "(floating list, floating create).",
     [("GET", "/floating_ips_bulk"), ("POST", "/floating_ips_bulk")]),
    ("floating_ip:delete", ADMIN, "Delete floating IPs (floating delete).",
     [("PUT", "/floating_ips_bulk/delete")]),
]  # fmt: skip

_DHCP_RULES: Table = [
    ("network:leases", OWNER, "Show a network's DHCP leases (its project, or an admin).",
     [("GET", "/networks/{network_id}/leases")]),
]  # fmt: skip

# The rule guarding each route: collection -> controller action -> rule.
ROUTE_RULES: Mapping[str, Mapping[str, str]] = {
    "networks": {
        "index": "network:list",
        "detail": "network:list",
        "show": "network:show",
        "create": "network:create",
        "update": "network:update",
        "delete": "network:delete",
    },
    "vnics": {"create": "vnic:create", "show": "vnic:get", "delete": "vnic:delete"},
    "ports": {"create": "port:create", "show": "port:get", "delete": "port:delete"},
    "fixed_ips": {"index": "fixed_ip:list", "show": "fixed_ip:get", "action": "fixed_ip:reserve"},
    "floating_ips": {
        "index": "floating_ip:list",
        "create": "floating_ip:allocate",
        "show": "floating_ip:get",
        "action": "floating_ip:associate",
        "delete": "floating_ip:release",
    },
    "floating_ip_pools": {"index": "floating_ip_pool:list"},
    "floating_ips_bulk": {"index": "floating_ip:create", "create": "floating_ip:create"},
}


def route_rules(plugin: str, collection: str) -> dict[str, str]:
    """``ROUTE_RULES[collection]`` with the rule names of ``plugin``."""
    return {action: f"{plugin}:{rule}" for action, rule in ROUTE_RULES[collection].items()}


def documented_rules(plugin: str, table: Table) -> list[policy.RuleDefault]:
    """``table``'s rules, named ``<plugin>:...``, paths below ``/v1.0/<plugin>``."""
    return [
        documented(
            f"{plugin}:{name}",
            check,
            text,
            [(method, f"/v1.0/{plugin}{path}") for method, path in operations],
        )
        for name, check, text, operations in table
    ]


def rules(plugin: str, *, floating: bool = False, dhcp: bool = False) -> list[policy.RuleDefault]:
    """The networks, VNICs, ports and fixed IPs rules, named ``<plugin>:...``.

    ``floating`` adds the floating IP rules, ``dhcp`` the DHCP leases rule.
    """
    found = documented_rules(plugin, _RULES)
    if floating:
        found += documented_rules(plugin, _FLOATING_RULES)
    if dhcp:
        found += documented_rules(plugin, _DHCP_RULES)
    return found
