from __future__ import annotations

from netservice.networks import policies


def test_rules_are_named_for_the_plugin():
    names = [r.name for r in policies.rules("demo")]
    assert "demo:network:create" in names and all(n.startswith("demo:") for n in names)
    assert not any("floating" in n or "leases" in n for n in names)


def test_floating_and_dhcp_rules_are_optional():
    names = {r.name for r in policies.rules("demo", floating=True, dhcp=True)}
    assert {"demo:floating_ip:associate", "demo:floating_ip:create",
            "demo:floating_ip_pool:list", "demo:network:leases"} <= names  # fmt: skip
    admin_only = {
        r.name for r in policies.rules("demo", floating=True) if r.check_str == policies.ADMIN
    }
    assert {
        "demo:network:create",
        "demo:floating_ip:create",
        "demo:floating_ip:delete",
    } <= admin_only
