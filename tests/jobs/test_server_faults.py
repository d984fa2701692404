"""Planner jobs survive their servers (kill -9 on PostgreSQL and SQLite), and cancel."""

from __future__ import annotations

from typing import Any

import pytest

from ramstein.domain.plans import PlanKind
from ramstein.services.jobs import JobStatus
from ramstein.store.db import Store
from tests.jobs.conftest import Loaded
from tests.jobs.processes import Server, running, wait_for, worker
from tests.jobs.records import ROUTE_SECONDS, ended, job, long_route, versions


@pytest.mark.postgres
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


@pytest.mark.postgres
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
    long_route(store)
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
