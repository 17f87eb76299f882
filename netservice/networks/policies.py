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
    ("network:update", ADMIN, "Associate a project or host."),
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


def rules(plugin: str) -> list[policy.RuleDefault]:
    """The networks, VNICs, ports and fixed IPs rules, named ``<plugin>:...``."""
    return [policy.RuleDefault(f"{plugin}:{name}", check, text) for name, check, text in _RULES]
