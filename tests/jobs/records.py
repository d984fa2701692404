"""Reading and queueing planner jobs from the job tests, as the API does."""

from __future__ import annotations

from ramstein.domain.plans import PlanKind
from ramstein.services import jobs
from ramstein.services.jobs import Job
from ramstein.services.queue import QueueDispatch
from ramstein.store.db import Store
from ramstein.store.plans import list_plans

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
