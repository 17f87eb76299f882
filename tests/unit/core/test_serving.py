"""ProjectServices on SQLite: the claim a create makes and the move network_set makes.

The three databases, and the race between them, are in tests/db/test_project_services_db.py.
"""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.wsgi import faults


def _claim(manager, project_id, service):
    with manager.database.write_connection() as conn:
        manager.projects.claim(conn, project_id, service)


def test_a_claim_passes_for_the_projects_service_and_names_both_otherwise(manager):
    _claim(manager, "p1", "test")  # the default, without an association row
    with pytest.raises(exceptions.WrongNetworkService) as caught:
        _claim(manager, "p1", "test_other")
    assert str(caught.value) == (
        "Project p1 is served by network service 'test', not 'test_other'"
    )
    assert faults.status_for(caught.value) == 409


def test_a_move_without_leftovers_changes_the_service(manager):
    counted = []

    def leftovers(current):
        counted.append(current)
        return {}

    assert manager.projects.move(manager.database, "p1", "test_other", leftovers) == ("test", {})
    assert counted == ["test"]
    _claim(manager, "p1", "test_other")
    with pytest.raises(exceptions.WrongNetworkService):
        _claim(manager, "p1", "test")
    # Idempotent: the same service again counts nothing and changes nothing.
    assert manager.projects.move(manager.database, "p1", "test_other", leftovers) == (
        "test_other",
        {},
    )
    assert counted == ["test"]


def test_a_move_with_leftovers_is_refused_unless_forced(manager):
    def leftovers(_current):
        return {"vnics": 2}

    with pytest.raises(exceptions.ProjectHasResources, match="2 vnics"):
        manager.projects.move(manager.database, "p1", "test_other", leftovers)
    assert manager.service_name_for_project("p1") == ("test", True)  # nothing written
    moved = manager.projects.move(manager.database, "p1", "test_other", leftovers, force=True)
    assert moved == ("test", {"vnics": 2})
    assert manager.service_name_for_project("p1") == ("test_other", False)


def test_dropping_the_association_returns_to_the_default(manager):
    manager.projects.move(manager.database, "p1", "test_other", lambda _c: {})
    assert manager.projects.move(manager.database, "p1", None, lambda _c: {}) == (
        "test_other",
        {},
    )
    assert manager.service_name_for_project("p1") == ("test", True)
    # Nothing to drop: nothing happens.
    assert manager.projects.move(manager.database, "p1", None, lambda _c: {"x": 1}) == (
        "test",
        {},
    )
