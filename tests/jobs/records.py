"""Reading and queueing planner jobs from the job tests, as the API does."""

from __future__ import annotations

from datetime import date

from bench.route import Size, generate

from ramstein.domain.plans import PlanKind
from ramstein.services import jobs
from ramstein.services.jobs import Job
from ramstein.services.queue import QueueDispatch
from ramstein.store import logistics
from ramstein.store.db import Store
from ramstein.store.plans import list_plans

# A cap, not the expected run: the route of `long_route` ends optimal well before it.
ROUTE_SECONDS = 90.0
# The Washington route solves in about a second, too soon to be killed mid-solve. This
# seeded network (between the benchmark's sizes M and L) takes about 5 s to optimal on one
# unloaded core, its first incumbent at about 4 s: time to kill it while it solves.
LONG_ROUTE = Size("jobs", 100, 24, 10, 2_000, 75, 0.0)


def long_route(store: Store) -> None:
    """Add `LONG_ROUTE`'s network and consignments to the store's."""
    with store.transaction(actor="test") as session:
        logistics.import_network(session, generate(LONG_ROUTE, 2024), date(2026, 1, 5))


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
    """The job's record now."""
    with store.transaction() as session:
        found = jobs.get(session, job_id)
    assert found is not None
    return found


def versions(store: Store, kind: PlanKind) -> list[int]:
    """The saved plan versions of a kind."""
    with store.transaction() as session:
        return [r.version for r in list_plans(session, kind)]


def ended(store: Store, job_id: int) -> bool:
    """Whether the job is neither queued nor running."""
    return job(store, job_id).status not in jobs.ACTIVE
