"""Planner jobs survive their processes: kill -9 of workers and servers, on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from ramstein.domain.plans import PlanKind
from ramstein.services import jobs
from ramstein.services.jobs import Job, JobStatus
from ramstein.services.queue import QueueDispatch
from ramstein.store.db import Store
from ramstein.store.plans import list_plans
from tests.jobs.conftest import Loaded
from tests.jobs.processes import Server, running, wait_for, worker

pytestmark = pytest.mark.postgres

# Long enough to be killed mid-solve (the Washington route takes ~20 s to optimal), short
# enough for the retry to finish soon: a time-limited plan is still a plan.
ROUTE_SECONDS = 6.0


def submit(store: Store, kind: PlanKind, time_limit: float = 30.0) -> Job:
    """Record and queue a job as the API does."""
    with store.transaction(actor="coord") as session:
        job, new = jobs.submit(session, kind, actor="coord", time_limit=time_limit)
    assert new
    dispatch = QueueDispatch(store)
    try:
        dispatch.enqueued(job.id)
    finally:
        dispatch.close()
    return job


def job(store: Store, job_id: int) -> Job:
    with store.transaction() as session:
        found = jobs.get(session, job_id)
    assert found is not None
    return found


def versions(store: Store, kind: PlanKind) -> list[int]:
    with store.transaction() as session:
        return [r.version for r in list_plans(session, kind)]


def ended(store: Store, job_id: int) -> bool:
    return job(store, job_id).status not in jobs.ACTIVE


def test_a_killed_worker_s_job_is_finished_by_another(pg_loaded: Loaded) -> None:
    store = Store(pg_loaded.url)
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


def test_queued_jobs_survive_a_killed_api(pg_loaded: Loaded) -> None:
    server = Server(pg_loaded.url)
    with running(server):
        ids = []
        for kind in ("match", "train"):
            status, body = server.request("POST", f"/api/v1/plans/{kind}", pg_loaded.token)
            assert status == 202, body
            ids.append(body["id"])
        server.kill()
    again = Server(pg_loaded.url)
    runner = worker(pg_loaded.url)
    with running(again, runner):

        def all_done() -> bool:
            states = [
                again.request("GET", f"/api/v1/plans/jobs/{i}", pg_loaded.token)[1] for i in ids
            ]
            return all(s["status"] == "done" for s in states)

        wait_for(all_done, timeout=180, what="the queued jobs to complete")


def test_cancel_a_queued_and_a_running_job(pg_loaded: Loaded) -> None:
    store = Store(pg_loaded.url)
    server = Server(pg_loaded.url)
    runner = worker(pg_loaded.url)
    with running(server, runner):
        status, route = server.request("POST", "/api/v1/plans/route?time_limit=60", pg_loaded.token)
        assert status == 202
        wait_for(
            lambda: job(store, route["id"]).status is JobStatus.RUNNING,
            timeout=120,
            what="the route job to run",
        )
        status, match = server.request("POST", "/api/v1/plans/match", pg_loaded.token)
        assert status == 202 and match["status"] == "queued"
        for target in (match, route):
            status, body = server.request(
                "DELETE", f"/api/v1/plans/jobs/{target['id']}", pg_loaded.token
            )
            assert status == 200 and body["status"] == "cancelled", body
        again = server.request("DELETE", f"/api/v1/plans/jobs/{route['id']}", pg_loaded.token)
        assert again[0] == 409
        # The worker stops the running solve and takes the next job.
        status, train = server.request("POST", "/api/v1/plans/train", pg_loaded.token)
        wait_for(lambda: ended(store, train["id"]), timeout=180, what="the training job")
        assert job(store, train["id"]).status is JobStatus.DONE
    assert job(store, route["id"]).status is JobStatus.CANCELLED
    assert job(store, match["id"]).status is JobStatus.CANCELLED
    assert versions(store, PlanKind.ROUTE) == [] and versions(store, PlanKind.MATCH) == []
    store.close()


def test_a_killed_sqlite_server_resumes_its_job(sqlite_loaded: Loaded) -> None:
    store = Store(sqlite_loaded.url)
    server = Server(sqlite_loaded.url)
    with running(server):
        status, route = server.request(
            "POST", f"/api/v1/plans/route?time_limit={ROUTE_SECONDS}", sqlite_loaded.token
        )
        assert status == 202

        def solving() -> bool:
            j = job(store, route["id"])
            return j.status is JobStatus.RUNNING and (j.elapsed or 0) >= 1.0

        wait_for(solving, timeout=120, what="the server to solve")
        server.kill()
    assert job(store, route["id"]).status is JobStatus.RUNNING  # as the dead process left it
    again = Server(sqlite_loaded.url)
    with running(again):
        wait_for(lambda: ended(store, route["id"]), timeout=180, what="the job to finish")
        body: dict[str, Any] = again.request(
            "GET", f"/api/v1/plans/jobs/{route['id']}", sqlite_loaded.token
        )[1]
    assert body["status"] == "done" and body["attempts"] == 2, body
    assert body["progress"]["elapsed"] > 0 and body["progress"]["incumbent"] is not None
    assert versions(store, PlanKind.ROUTE) == [1]
    store.close()
