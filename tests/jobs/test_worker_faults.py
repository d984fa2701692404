"""Planner jobs survive their workers: kill -9 mid-solve, and two workers at once (PostgreSQL)."""

from __future__ import annotations

import pytest

from ramstein.domain.plans import PlanKind
from ramstein.services.jobs import JobStatus
from ramstein.store.db import Store
from tests.jobs.conftest import Loaded
from tests.jobs.processes import running, wait_for, worker
from tests.jobs.records import ROUTE_SECONDS, ended, job, long_route, submit, versions

pytestmark = pytest.mark.postgres


def test_a_killed_worker_s_job_is_finished_by_another(pg_loaded: Loaded) -> None:
    store = Store(pg_loaded.url)
    long_route(store)
    first = worker(pg_loaded.url)
    with running(first):
        route = submit(store, PlanKind.ROUTE, ROUTE_SECONDS)

        def solving() -> bool:
            j = job(store, route.id)
            return j.status is JobStatus.RUNNING and (j.elapsed or 0) >= 1.0

        wait_for(solving, timeout=120, what="the first worker to solve (with progress)")
        assert job(store, route.id).worker.endswith(f":{first.popen.pid}")
        second = worker(pg_loaded.url)
        with running(second):
            first.kill()
            wait_for(lambda: ended(store, route.id), timeout=180, what="the job to finish")
    done = job(store, route.id)
    assert done.status is JobStatus.DONE, done
    assert done.attempts == 2
    assert done.worker.endswith(f":{second.popen.pid}")
    assert versions(store, PlanKind.ROUTE) == [1] and done.plan_version == 1
    assert done.incumbent is not None and done.bound is not None
    store.close()


def test_two_workers_run_each_job_once(pg_loaded: Loaded) -> None:
    store = Store(pg_loaded.url)
    workers = [worker(pg_loaded.url), worker(pg_loaded.url)]
    with running(*workers):
        submitted = [
            submit(store, PlanKind.MATCH),
            submit(store, PlanKind.ROUTE, 3.0),
            submit(store, PlanKind.TRAIN),
        ]
        for s in submitted:
            wait_for(lambda s=s: ended(store, s.id), timeout=180, what=f"job {s.id}")
    for s in submitted:
        done = job(store, s.id)
        assert done.status is JobStatus.DONE and done.attempts == 1, (done.error, done)
        assert versions(store, s.kind) == [1]
    store.close()
