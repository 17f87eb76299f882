"""The default policy rules of a plugin built on ``netservice.networks``.

Rule names are ``<plugin>:<resource>:<action>``; the REST controllers in
``netservice.networks.api`` check exactly these.
"""

from __future__ import annotations

from oslo_policy import policy

ADMIN = "rule:admin_only"
OWNER = "rule:admin_or_owner"
ANYONE = ""

_RULES: list[tuple[str, str, str]] = [
    ("network:list", ANYONE, "List the networks a project may use."),
    ("network:show", ANYONE, "Show a network."),
    ("network:create", ADMIN, "Create networks (network create)."),
    ("network:delete", ADMIN, "Delete a network."),
    ("network:update", ADMIN, "Associate a project or host, or change the bridge interface."),
    ("network:force", ADMIN, "Change or delete a network that has VNICs or fixed IPs (force)."),
    ("vnic:create", OWNER, "Create a VNIC."),
    ("vnic:get", OWNER, "Show a VNIC and its network info."),
    ("vnic:delete", OWNER, "Delete a VNIC."),
    ("port:create", OWNER, "Bind a VNIC to a fixed IP."),
    ("port:get", OWNER, "Show a port."),
    ("port:delete", OWNER, "Unbind a VNIC, releasing its fixed IP."),
    ("fixed_ip:list", ADMIN, "List used and reserved fixed IPs."),
    ("fixed_ip:get", ADMIN, "Show a fixed IP."),
    ("fixed_ip:reserve", ADMIN, "Reserve or unreserve a fixed IP."),
]


_FLOATING_RULES: list[tuple[str, str, str]] = [
    ("floating_ip:list", ANYONE, "List the project's floating IPs (admins: all)."),
    ("floating_ip:allocate", OWNER, "Allocate a floating IP from a pool."),
    ("floating_ip:get", OWNER, "Show a floating IP."),
    ("floating_ip:associate", OWNER, "Associate a floating IP with a fixed IP."),
    ("floating_ip:disassociate", OWNER, "Disassociate a floating IP."),
    ("floating_ip:release", OWNER, "Release (deallocate) a floating IP."),
    ("floating_ip_pool:list", ANYONE, "List the floating IP pools."),
    ("floating_ip:create", ADMIN, "Create floating IPs (floating create)."),
    ("floating_ip:delete", ADMIN, "Delete floating IPs (floating delete)."),
]

_DHCP_RULES: list[tuple[str, str, str]] = [
    ("network:leases", OWNER, "Show a network's DHCP leases (its project, or an admin)."),
]


def _named(plugin: str, table: list[tuple[str, str, str]]) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"{plugin}:{name}", check, text) for name, check, text in table]


def rules(plugin: str, *, floating: bool = False, dhcp: bool = False) -> list[policy.RuleDefault]:
    """The networks, VNICs, ports and fixed IPs rules, named ``<plugin>:...``.

    ``floating`` adds the floating IP rules, ``dhcp`` the DHCP leases rule.
    """
    found = _named(plugin, _RULES)
    if floating:
        found += _named(plugin, _FLOATING_RULES)
    if dhcp:
        found += _named(plugin, _DHCP_RULES)
    return found
