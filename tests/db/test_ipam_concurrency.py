"""Eight processes allocating at once: no duplicate, no spurious failure.

Each process opens its own engine; all serialise on the network row lock.
"""

from __future__ import annotations

import collections
import dataclasses
import multiprocessing

import pytest
import sqlalchemy as sa
from netservice_flat.models import FlatIpAddress, FlatNetwork
from netservice_flat.plugin import BRANCH

from netservice.core.db import migration
from netservice.core.db.session import Database
from netservice.ipam import exceptions, planner
from netservice.ipam.allocator import Allocator

PROCESSES = 8


def _allocator():
    return Allocator(FlatNetwork.__table__, FlatIpAddress.__table__)


def _worker(args):
    url, network_id, attempts, start = args
    start.wait()
    database = Database(url)
    allocator = _allocator()
    got, full, errors = [], 0, []
    for _ in range(attempts):
        try:
            with database.writer() as session:
                got.append(allocator.allocate(session.connection(), network_id).address)
        except exceptions.NoMoreFixedIps:
            full += 1
        except Exception as err:  # anything else is a failure the test reports
            errors.append(f"{type(err).__name__}: {err}")
    database.dispose()
    return got, full, errors


def _run(url, network_id, attempts):
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(PROCESSES) as pool:
            pending = pool.map_async(
                _worker, [(url, network_id, attempts, start)] * PROCESSES, chunksize=1
            )
            start.set()
            return pending.get(timeout=120)


@pytest.fixture
def shared(db_url):
    database = Database(db_url)
    migration.upgrade(database, BRANCH)
    yield db_url, database
    database.dispose()


def _network(database, cidr, **options):
    request = planner.NetworkRequest(label="c", cidr=cidr, **options)
    (net,) = planner.plan_networks(request, planner.Topology(), planner.Used()).networks
    with database.writer() as session:
        return _allocator().insert_network(
            session.connection(), dataclasses.asdict(net), net.reserved()
        )


def test_eight_processes_never_duplicate(shared):
    url, database = shared
    net = _network(database, "10.0.0.0/20", network_size=4096)
    results = _run(url, net, 200)
    got = [a for addresses, _, _ in results for a in addresses]
    assert [e for _, _, errors in results for e in errors] == []
    assert len(got) == PROCESSES * 200
    duplicates = [a for a, n in collections.Counter(got).items() if n > 1]
    assert duplicates == []
    with database.writer() as session:
        rows = session.scalar(
            sa.select(sa.func.count()).where(
                FlatIpAddress.network_id == net, FlatIpAddress.allocated.is_(True)
            )
        )
    assert rows == len(got)


def test_eight_processes_contend_for_the_last_hundred(shared):
    url, database = shared
    # allowed_start .10 is the gateway (nova's layout), so .11-.110 are the hundred.
    net = _network(database, "10.1.0.0/24", allowed_start="10.1.0.10", allowed_end="10.1.0.110")
    results = _run(url, net, 25)
    successes = sum(len(addresses) for addresses, _, _ in results)
    full = sum(n for _, n, _ in results)
    assert [e for _, _, errors in results for e in errors] == []
    assert (successes, full) == (100, PROCESSES * 25 - 100)
