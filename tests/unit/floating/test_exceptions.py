"""Every floating IP error has its own class, message and HTTP code."""

from __future__ import annotations

import pytest

from netservice.core.wsgi.faults import status_for
from netservice.floating import exceptions as fe

CASES = [
    (fe.FloatingIpNotFound(address="192.0.2.1"), 404, ["192.0.2.1"]),
    (fe.FloatingIpPoolNotFound(pool="public"), 404, ["public"]),
    (fe.NoMoreFloatingIps(pool="public"), 409, ["public"]),
    (fe.FloatingIpQuotaExceeded(project_id="p1", quota=10, used=10), 413, ["p1", "10"]),
    (fe.FloatingIpAssociated(address="192.0.2.1", fixed="10.0.0.2"), 409, ["10.0.0.2"]),
    (fe.FloatingIpNotAssociated(address="192.0.2.1"), 409, ["192.0.2.1"]),
    (fe.FloatingIpNotAllocated(address="192.0.2.1"), 409, ["192.0.2.1"]),
    (fe.CannotAffectAutoAssigned(address="192.0.2.1", action="associated"), 403, ["associated"]),
    (fe.FixedIpNotAllocated(address="10.0.0.2", floating="192.0.2.1"), 409, ["10.0.0.2"]),
    (fe.FloatingIpRangeTooSmall(ip_range="192.0.2.0/31", size=2), 400, ["192.0.2.0/31"]),
    (fe.FloatingIpRangeTooLarge(ip_range="10.0.0.0/8", size=2**24, prefix=8), 400, ["/8"]),
    (fe.FloatingIpExists(address="192.0.2.1", pool="nova"), 409, ["192.0.2.1", "nova"]),
    (
        fe.FloatingIpRangeInUse(
            ip_range="192.0.2.0/29", count=1, address="192.0.2.1", project_id="p1"
        ),
        409,
        ["192.0.2.0/29", "p1"],
    ),
    (fe.FloatingIpLockTimeout(seconds=30, project_id="p1"), 503, ["p1"]),
]


@pytest.mark.parametrize(("error", "status", "named"), CASES, ids=lambda c: type(c).__name__)
def test_status_and_message(error, status, named):
    assert status_for(error) == status
    assert error.message != type(error).msg_fmt  # formatted, no missing keyword
    for text in named:
        assert text in error.message


def test_every_class_is_covered():
    classes = {
        obj for obj in vars(fe).values() if isinstance(obj, type) and obj.__module__ == fe.__name__
    }
    assert classes == {type(error) for error, _, _ in CASES}
