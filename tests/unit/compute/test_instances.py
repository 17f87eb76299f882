"""The compute calls, against the two test plugins through real entry points."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from netservice_testplugin.models import Vnic

from netservice.compute.instances import InstanceNetworks, VnicOfAnotherService
from netservice.core import exceptions
from netservice.core.context import RequestContext
from netservice.core.db import api as db_api

P1 = RequestContext(project_id="p1")
P2 = RequestContext(project_id="p2")


@pytest.fixture
def instances(manager):
    return InstanceNetworks(manager)


def vnic(manager, project="p1", service="test"):
    return (
        manager.get(service)
        .get_os_service()
        .get_default_vnic_id(RequestContext(project_id=project))
    )


def rows(manager, instance):
    return [r.virtual_nic_id for r in db_api.list_instance_vnics(manager.database, instance)]


def bound(manager, vnic_id):
    with manager.database.writer() as session:
        return session.scalar(sa.select(Vnic.bound).where(Vnic.id == vnic_id))


def test_two_nics_in_order(manager, instances):
    a, b = vnic(manager), vnic(manager)
    result = instances.create_instance_network(P1, "i-1", [b, a])
    assert result.vnic_ids == (b, a)
    assert [x.count("<interface") for x in result.interfaces] == [1, 1]
    mac_b = instances.get_instance_network_info(P1, "i-1")[0]["mac_address"]
    assert f"<mac address='{mac_b}'/>" in result.interfaces[0]
    assert result.injected_config is None
    assert rows(manager, "i-1") == [b, a] and bound(manager, a) and bound(manager, b)


def test_a_retry_after_a_crash_is_idempotent(manager, instances):
    a = vnic(manager)
    first = instances.create_instance_network(P1, "i-1", [a])
    assert instances.create_instance_network(P1, "i-1", [a]) == first
    assert rows(manager, "i-1") == [a]


@pytest.mark.parametrize("bad", [[], None, "v1", ["ok", "ok"], ["bad id!"]])
def test_a_bad_list_is_refused_and_nothing_recorded(manager, instances, bad):
    with pytest.raises(exceptions.InvalidInput, match="vnic_ids"):
        instances.create_instance_network(P1, "i-1", bad)
    assert rows(manager, "i-1") == []


def test_another_projects_vnic_is_not_found_and_nothing_recorded(manager, instances):
    mine, theirs = vnic(manager), vnic(manager, project="p2")
    with pytest.raises(exceptions.VnicNotFound):
        instances.create_instance_network(P1, "i-1", [mine, theirs])
    assert rows(manager, "i-1") == [] and not bound(manager, mine)


def test_a_vnic_of_another_service_names_both(manager, instances):
    other = vnic(manager, service="test_other")
    with pytest.raises(VnicOfAnotherService, match=r"'test_other'.*'test'"):
        instances.create_instance_network(P1, "i-1", [other])
    assert rows(manager, "i-1") == []


def test_a_vnic_attached_elsewhere_conflicts(manager, instances):
    a = vnic(manager)
    instances.create_instance_network(P1, "i-1", [a])
    with pytest.raises(exceptions.VnicInUse, match="i-1"):
        instances.create_instance_network(P1, "i-2", [a])
    assert rows(manager, "i-2") == []


def test_legacy_path_reuses_its_vnic_on_retry(manager, instances):
    first = instances.create_instance_network_legacy(P1, "i-9")
    again = instances.create_instance_network_ec2(P1, "i-9")
    assert first.vnic_ids == again.vnic_ids and len(first.vnic_ids) == 1
    assert manager.get("test").get_os_service().get_project_resources(P1, "p1") == {"vnics": 1}


def test_destroy_tears_down_and_is_idempotent(manager, instances):
    a = vnic(manager)
    instances.create_instance_network(P1, "i-1", [a])
    assert instances.destroy_instance_network(P1, "i-1") == 1
    assert not bound(manager, a) and rows(manager, "i-1") == []
    assert instances.destroy_instance_network(P1, "i-1") == 0
    assert instances.destroy_instance_network(P1, "never-was") == 0
    instances.create_instance_network(P1, "i-2", [a])  # free for another instance


def test_another_projects_instance_is_invisible(manager, instances):
    instances.create_instance_network(P1, "i-1", [vnic(manager)])
    with pytest.raises(exceptions.InstanceNotFound):
        instances.get_instance_network_info(P2, "i-1")
    with pytest.raises(exceptions.InstanceNotFound):
        instances.destroy_instance_network(P2, "i-1")
    assert len(instances.get_instance_network_info(P1, "i-1")) == 1


def test_another_projects_vnic_on_another_service_stays_invisible(manager, instances):
    theirs = vnic(manager, project="p2", service="test_other")
    with pytest.raises(exceptions.VnicNotFound):
        instances.create_instance_network(P1, "i-1", [theirs])
