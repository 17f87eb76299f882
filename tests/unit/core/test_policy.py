"""Default policy rules: admin-only is 403, someone else's resource is 404."""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.policy import CORE_RULES, Policy

MEMBER = RequestContext(project_id="p1", roles=("member",))
ADMIN = RequestContext(project_id="ops", roles=("admin",), is_admin=True)


@pytest.fixture
def policy(conf):
    return Policy(conf)


def test_admin_only_actions(policy):
    policy.authorize(ADMIN, "project_network_service:set", {"project_id": "p1"})
    with pytest.raises(exceptions.Forbidden, match="project_network_service:set"):
        policy.authorize(MEMBER, "project_network_service:set", {"project_id": "p1"})


def test_owner_actions_hide_other_projects(policy):
    policy.authorize(MEMBER, "instance_vnics:get", {"project_id": "p1"}, hide=True)
    policy.authorize(ADMIN, "instance_vnics:get", {"project_id": "p1"}, hide=True)
    with pytest.raises(exceptions.NotFound):
        policy.authorize(MEMBER, "instance_vnics:get", {"project_id": "p2"}, hide=True)


def test_is_admin_follows_the_rule(policy):
    assert policy.is_admin({"roles": ["admin"], "project_id": "x"})
    assert not policy.is_admin({"roles": ["member"], "project_id": "x"})


def test_a_policy_file_overrides_defaults(tmp_path, conf):
    path = tmp_path / "policy.yaml"
    path.write_text('"project_network_service:set": "role:netadmin"\n')
    conf.set_override("policy_file", str(path), group="oslo_policy")
    netadmin = RequestContext(project_id="p1", roles=("netadmin",))
    Policy(conf).authorize(netadmin, "project_network_service:set", {"project_id": "p1"})


READER = RequestContext(project_id="p1", roles=("reader",))


def test_the_reader_reads_its_project_and_changes_nothing(policy):
    policy.authorize(READER, "instance_vnics:get", {"project_id": "p1"}, hide=True)
    with pytest.raises(exceptions.Forbidden, match="instance_vnics:attach"):
        policy.authorize(READER, "instance_vnics:attach", {"project_id": "p1"}, hide=True)
    # Keystone's implied roles give a member the reader role too.
    both = RequestContext(project_id="p1", roles=("member", "reader"))
    policy.authorize(both, "instance_vnics:attach", {"project_id": "p1"})
    # No role at all (noauth without X-Roles) keeps a member's rights.
    nobody = RequestContext(project_id="p1")
    policy.authorize(nobody, "instance_vnics:attach", {"project_id": "p1"})


def test_another_projects_resource_stays_hidden_from_a_reader(policy):
    with pytest.raises(exceptions.NotFound):
        policy.authorize(READER, "instance_vnics:attach", {"project_id": "p2"}, hide=True)


def test_every_core_rule_a_route_names_documents_its_operations():
    documented = [r for r in CORE_RULES if hasattr(r, "operations")]
    assert {r.name for r in documented} >= {"instance_vnics:get", "project_network_service:set"}
    assert all(r.operations and r.scope_types == ["project"] for r in documented)
