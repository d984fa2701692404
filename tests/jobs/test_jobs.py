"""Planner job records: dedupe by inputs, attempts, cancellation; the API and `ramstein jobs`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ramstein.app import create_app
from ramstein.domain.plans import PlanKind
from ramstein.services import jobs
from ramstein.services.jobs import JobStatus
from ramstein.store.db import Store
from ramstein.web.auth import COOKIE
from tests.conftest import Cli, Washington
from tests.jobs.conftest import Loaded, load
from tests.jobs.processes import wait_for
from tests.jobs.records import ROUTE_SECONDS, long_route
from tests.web.forms import post_form


@pytest.fixture
def loaded(store_url: str, washington: Washington) -> Loaded:
    """The Washington dataset on SQLite and on PostgreSQL."""
    return load(store_url, washington)


@pytest.fixture
def store(loaded: Loaded) -> Iterator[Store]:
    opened = Store(loaded.url)
    yield opened
    opened.close()


def test_a_duplicate_submission_returns_the_first_job(store: Store) -> None:
    with store.transaction() as session:
        first, new = jobs.submit(session, PlanKind.MATCH, actor="a")
        again, again_new = jobs.submit(session, PlanKind.MATCH, actor="b")
        other, other_new = jobs.submit(session, PlanKind.TRAIN, actor="a")
    assert new and not again_new and other_new
    assert again.id == first.id and other.id != first.id
    with store.transaction() as session:
        jobs.cancel(session, first.id, actor="a")
        # Once the first has ended, the same planner over the same inputs is a new job.
        fresh, fresh_new = jobs.submit(session, PlanKind.MATCH, actor="a")
    assert fresh_new and fresh.id not in (first.id, other.id)


def test_only_the_newest_attempt_saves_and_attempts_run_out(store: Store) -> None:
    with store.transaction() as session:
        job, _ = jobs.submit(session, PlanKind.MATCH, actor="a")
        first = jobs.begin_attempt(session, job.id, worker="w1")
    assert first is not None and first.attempts == 1 and first.status is JobStatus.RUNNING
    with store.transaction() as session:
        # w1 is presumed dead: the job is queued again and w2 takes it.
        jobs.requeue_orphans(session, lambda worker: worker != "w1")
        second = jobs.begin_attempt(session, job.id, worker="w2")
    assert second is not None and second.attempts == 2
    with store.transaction() as session:
        assert not jobs.record_progress(session, job.id, 1, incumbent=1, bound=2, elapsed=1)
        assert not jobs.claim_result(session, job.id, 1)  # the stale attempt saves nothing
        assert jobs.end_attempt_failed(session, job.id, 2, "boom")  # queued for a third
        third = jobs.begin_attempt(session, job.id, worker="w2")
        assert third is not None and third.attempts == jobs.MAX_ATTEMPTS
        assert not jobs.end_attempt_failed(session, job.id, 3, "boom again")
        failed = jobs.get(session, job.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.error == "failed 3 times: boom again"


def test_the_api_runs_reports_and_cancels_jobs(sqlite_loaded: Loaded) -> None:
    """On SQLite the server's own worker runs the jobs (on PostgreSQL: test_job_faults)."""
    headers = {"Authorization": f"Bearer {sqlite_loaded.token}"}
    with TestClient(create_app(sqlite_loaded.url)) as api:
        started = api.post("/api/v1/plans/train", headers=headers)
        assert started.status_code == 202
        job = started.json()
        duplicate = api.post("/api/v1/plans/train", headers=headers)
        assert duplicate.status_code == 200 and duplicate.json()["id"] == job["id"]

        def done() -> bool:
            got = api.get(f"/api/v1/plans/jobs/{job['id']}", headers=headers).json()
            return bool(got["status"] == "done")

        wait_for(done, timeout=180, what="the training job")
        body = api.get(f"/api/v1/plans/jobs/{job['id']}", headers=headers).json()
        assert body["attempts"] == 1 and body["plan_version"] == 1
        assert body["progress"]["incumbent"] is not None and body["progress"]["time_limit"] == 120
        listed = api.get("/api/v1/plans/jobs", headers=headers).json()
        assert [j["id"] for j in listed] == [job["id"]]
        assert api.delete(f"/api/v1/plans/jobs/{job['id']}", headers=headers).status_code == 409
        assert api.delete("/api/v1/plans/jobs/999", headers=headers).status_code == 404
        assert api.get("/api/v1/plans/jobs").status_code == 403  # the public


def test_jobs_command_lists_and_cancels(loaded: Loaded) -> None:
    cli = Cli(loaded.url)
    store = Store(loaded.url)
    with store.transaction() as session:
        job, _ = jobs.submit(session, PlanKind.ROUTE, actor="a", time_limit=30)
    store.close()
    listed = cli("jobs")
    assert listed.exit_code == 0 and "route" in listed.stdout and "queued" in listed.stdout
    assert cli("jobs", "cancel", str(job.id)).exit_code == 0
    assert "cancelled" in cli("jobs").stdout
    again = cli("jobs", "cancel", str(job.id))
    assert again.exit_code == 2 and "already cancelled" in again.stderr


def test_the_jobs_page_cancels_a_job_for_coordinators_only(sqlite_loaded: Loaded) -> None:
    store = Store(sqlite_loaded.url)
    long_route(store)  # still solving when the button is pressed
    store.close()
    headers = {"Authorization": f"Bearer {sqlite_loaded.token}"}
    with TestClient(create_app(sqlite_loaded.url)) as site:
        job = site.post(f"/api/v1/plans/route?time_limit={ROUTE_SECONDS}", headers=headers).json()
        # The public may not cancel (and sees no button).
        assert post_form(site, f"/jobs/{job['id']}/cancel", {}).status_code == 403
        site.cookies.set(COOKIE, sqlite_loaded.token)
        page = site.get("/jobs")
        assert f'aria-label="Cancel job {job["id"]}"' in page.text
        done = post_form(site, f"/jobs/{job['id']}/cancel", {}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/jobs"
        got = site.get(f"/api/v1/plans/jobs/{job['id']}", headers=headers).json()
        assert got["status"] == "cancelled"
        again = post_form(site, f"/jobs/{job['id']}/cancel", {})
        assert again.status_code == 409 and "already cancelled" in again.text
        assert f'aria-label="Cancel job {job["id"]}"' not in again.text
        # Without the form token the request is refused before anything is read.
        assert site.post(f"/jobs/{job['id']}/cancel").status_code == 403


def test_a_solve_s_reads_hold_no_lock_while_it_solves(store: Store) -> None:
    # An attempt reads its inputs through `Store.reads` and solves with the session open:
    # writes meanwhile (its own progress, the API's) must not wait for the solve to end,
    # and each later read sees what they committed.
    with store.reads() as reading:
        inputs = jobs.stored_inputs(reading, PlanKind.MATCH)
        assert inputs  # read, and the session is still open ("solving")
        with store.transaction(actor="api") as session:
            job, new = jobs.submit(session, PlanKind.TRAIN, actor="api")
        assert new
        seen = jobs.get(reading, job.id)
    assert seen is not None and seen.status is JobStatus.QUEUED


def test_a_program_fed_on_stdin_runs_its_jobs(sqlite_loaded: Loaded) -> None:
    # The runner's children start from an importable function: the host program's own
    # main module (here "<stdin>", which has no file to re-run) is never needed.
    import subprocess
    import sys

    program = (
        "from ramstein.domain.plans import PlanKind\n"
        "from ramstein.services import job_runner, jobs\n"
        "from ramstein.store.db import Store\n"
        f"store = Store({sqlite_loaded.url!r})\n"
        "with store.transaction() as session:\n"
        "    job, _ = jobs.submit(session, PlanKind.MATCH, actor='stdin', time_limit=30)\n"
        "print(job_runner.run(store, job.id).value)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-"], input=program, capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "done", ran.stderr
