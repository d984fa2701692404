"""Planner jobs: the user-facing record of each run, its attempts, progress and outcome.

The record is the same whoever runs the job (a Procrastinate worker on PostgreSQL, the
server's own worker on SQLite): submitted once per planner and inputs, started by attempts
(only the newest attempt may save its plan), cancelled, failed with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ramstein.domain.plans import PlanKind
from ramstein.io import match_json, route_json, train_json
from ramstein.services import matching, routing, training
from ramstein.services.plans import Solved
from ramstein.store import catalog, logistics
from ramstein.store.models import ACTIVE_JOB, JobRow
from ramstein.store.plans import digest
from ramstein.store.rows import from_row
from ramstein.store.training import stored_training

# A job whose attempts all end without a plan (the solver failed, or its worker died) fails.
MAX_ATTEMPTS = 3
DEFAULT_TIME_LIMIT = 120.0


class JobStatus(StrEnum):
    """Where a job is: waiting, solving, or ended one of three ways."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)

SOLVERS: dict[PlanKind, Callable[..., Solved[Any, Any]]] = {
    PlanKind.MATCH: matching.solve,
    PlanKind.ROUTE: routing.solve,
    PlanKind.TRAIN: training.solve,
}


def stored_inputs(session: Session, kind: PlanKind) -> dict[str, Any]:
    """The input document a planner would solve now (its digest dedupes submissions)."""
    if kind is PlanKind.MATCH:
        return match_json.instance_document(catalog.match_instance(session))
    if kind is PlanKind.ROUTE:
        return route_json.instance_document(logistics.stored_instance(session)[0])
    return train_json.instance_document(stored_training(session))


@dataclass(frozen=True)
class Job:
    """A planner job as users see it, progress included."""

    id: int
    kind: PlanKind
    status: JobStatus
    actor: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    plan_version: int | None
    error: str
    inputs_digest: str
    time_limit: float
    incumbent: float | None
    bound: float | None
    elapsed: float | None
    worker: str
    queue_id: int | None

    @property
    def gap(self) -> float | None:
        """The relative gap between the best plan found and the proven bound."""
        if self.incumbent is None or self.bound is None:
            return None
        return abs(self.bound - self.incumbent) / max(abs(self.incumbent), 1e-9)


def _job(row: JobRow) -> Job:
    return from_row(Job, row)


def _now() -> datetime:
    return datetime.now(UTC)


def submit(
    session: Session, kind: PlanKind, *, actor: str, time_limit: float = DEFAULT_TIME_LIMIT
) -> tuple[Job, bool]:
    """Queue a planner over the stored inputs; `(job, True)` when new.

    While a job of the same planner over the same inputs is queued or running, that job is
    returned instead (a partial unique index makes this hold across processes too).
    """
    key = digest({"kind": kind.value, "inputs": stored_inputs(session, kind)})
    values = {
        "kind": kind.value,
        "status": JobStatus.QUEUED.value,
        "actor": actor,
        "created_at": _now(),
        "error": "",
        "inputs_digest": key,
        "time_limit": time_limit,
        "attempts": 0,
        "worker": "",
    }
    active = JobRow.status.in_([s.value for s in ACTIVE])
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(JobRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["inputs_digest"], index_where=ACTIVE_JOB)
        .returning(JobRow.id)
    )
    new_id = session.scalar(statement)
    if new_id is not None:
        job = get(session, new_id)
        assert job is not None
        return job, True
    row = session.scalar(
        select(JobRow).where(JobRow.inputs_digest == key, active).order_by(JobRow.id).limit(1)
    )
    if row is None:  # the other job ended meanwhile: submit afresh
        return submit(session, kind, actor=actor, time_limit=time_limit)
    return _job(row), False


def get(session: Session, job_id: int) -> Job | None:
    """One job, or None."""
    row = session.get(JobRow, job_id, populate_existing=True)
    return _job(row) if row is not None else None


def list_jobs(session: Session, *, limit: int = 100) -> list[Job]:
    """The newest jobs first."""
    rows = session.scalars(select(JobRow).order_by(JobRow.id.desc()).limit(limit))
    return [_job(r) for r in rows]


def set_queue_id(session: Session, job_id: int, queue_id: int) -> None:
    """Remember the queue's own id of a job (to cancel it there too)."""
    session.execute(update(JobRow).where(JobRow.id == job_id).values(queue_id=queue_id))


def unqueued(session: Session, older_than: datetime) -> list[int]:
    """Queued jobs never handed to the queue (their submitter died first)."""
    return list(
        session.scalars(
            select(JobRow.id).where(
                JobRow.status == JobStatus.QUEUED.value,
                JobRow.queue_id.is_(None),
                JobRow.created_at < older_than,
            )
        )
    )


def cancel(session: Session, job_id: int, *, actor: str) -> Job | None:
    """Cancel a queued or running job (its worker stops the solve); None if unknown."""
    active = JobRow.status.in_([s.value for s in ACTIVE])
    session.execute(
        update(JobRow)
        .where(JobRow.id == job_id, active)
        .values(status=JobStatus.CANCELLED.value, error=f"cancelled by {actor}", finished_at=_now())
    )
    return get(session, job_id)


class NotActive(Exception):
    """A job that cannot be cancelled: unknown (`job` is None) or ended already."""

    def __init__(self, job_id: int, job: Job | None) -> None:
        self.job_id = job_id
        self.job = job
        super().__init__(f"jobs[{job_id}]: {self.state}")

    @property
    def state(self) -> str:
        """Why not, in words: `not found` or `already <status>`."""
        return "not found" if self.job is None else f"already {self.job.status.value}"


def cancel_active(
    session: Session, job_id: int, *, actor: str, notify: Callable[[Job], object]
) -> Job:
    """Cancel a queued or running job, commit, then `notify` the queue of it (the API's and
    the jobs page's cancel); raises NotActive for an unknown or ended job."""
    job = get(session, job_id)
    if job is None or job.status not in ACTIVE:
        raise NotActive(job_id, job)
    cancelled = cancel(session, job_id, actor=actor)
    assert cancelled is not None
    # Committed before the queue hears of it: the worker reads the record it is told about.
    session.commit()
    notify(cancelled)
    return cancelled


def begin_attempt(session: Session, job_id: int, *, worker: str) -> Job | None:
    """Start the job's next attempt on `worker`; None when it is not to run.

    A job already ended is not run again; one whose attempts are used up fails with the
    last attempt's reason.
    """
    row = session.scalar(select(JobRow).where(JobRow.id == job_id).with_for_update())
    if row is None or row.status not in [s.value for s in ACTIVE]:
        return None
    if row.attempts >= MAX_ATTEMPTS:
        reason = row.error or f"its worker stopped during attempt {row.attempts}"
        session.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(
                status=JobStatus.FAILED.value,
                error=f"gave up after {row.attempts} attempts: {reason}",
                finished_at=_now(),
            )
        )
        return None
    # Conditional on what was read: of two workers taking one job at once, one gets it.
    taken = session.execute(
        update(JobRow)
        .where(
            JobRow.id == job_id,
            JobRow.attempts == row.attempts,
            JobRow.status == row.status,
        )
        .values(
            status=JobStatus.RUNNING.value,
            attempts=row.attempts + 1,
            started_at=_now(),
            worker=worker,
            incumbent=None,
            bound=None,
            elapsed=0.0,
        )
    )
    if not getattr(taken, "rowcount", 0):
        return None
    return get(session, job_id)


def _this_attempt(job_id: int, attempt: int) -> ColumnElement[bool]:
    return (
        (JobRow.id == job_id)
        & (JobRow.attempts == attempt)
        & (JobRow.status == JobStatus.RUNNING.value)
    )


def record_progress(
    session: Session,
    job_id: int,
    attempt: int,
    *,
    incumbent: float | None,
    bound: float | None,
    elapsed: float,
) -> bool:
    """Record a running attempt's progress; False once the attempt no longer counts."""
    result = session.execute(
        update(JobRow)
        .where(_this_attempt(job_id, attempt))
        .values(incumbent=incumbent, bound=bound, elapsed=elapsed)
    )
    return bool(getattr(result, "rowcount", 0))


def claim_result(session: Session, job_id: int, attempt: int) -> bool:
    """Mark the attempt done, first thing in the transaction that saves its plan.

    False (save nothing) when a newer attempt started or the job was cancelled meanwhile.
    """
    result = session.execute(
        update(JobRow)
        .where(_this_attempt(job_id, attempt))
        .values(status=JobStatus.DONE.value, finished_at=_now())
    )
    return bool(getattr(result, "rowcount", 0))


def record_progress_final(
    session: Session, job_id: int, incumbent: float | None, bound: float | None, elapsed: float
) -> None:
    """A finished job's final figures."""
    session.execute(
        update(JobRow)
        .where(JobRow.id == job_id)
        .values(incumbent=incumbent, bound=bound, elapsed=round(elapsed, 2))
    )


def set_plan_version(session: Session, job_id: int, version: int) -> None:
    """The plan version a finished job saved."""
    session.execute(update(JobRow).where(JobRow.id == job_id).values(plan_version=version))


def end_attempt_failed(session: Session, job_id: int, attempt: int, reason: str) -> bool:
    """Record a failed attempt; True when the job is queued for another attempt."""
    row = session.scalar(select(JobRow).where(_this_attempt(job_id, attempt)).with_for_update())
    if row is None:
        return False
    last = row.attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {"error": reason}
    if last:
        values.update(
            status=JobStatus.FAILED.value,
            finished_at=_now(),
            error=f"failed {row.attempts} times: {reason}",
        )
    else:
        values.update(status=JobStatus.QUEUED.value)
    session.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
    return not last


def requeue_orphans(session: Session, alive: Callable[[str], bool]) -> list[int]:
    """Queue again the running jobs whose worker is gone (`alive(worker)` is False)."""
    rows = session.scalars(select(JobRow).where(JobRow.status == JobStatus.RUNNING.value))
    orphans = [r.id for r in rows if not alive(r.worker)]
    if orphans:
        session.execute(
            update(JobRow)
            .where(JobRow.id.in_(orphans), JobRow.status == JobStatus.RUNNING.value)
            .values(status=JobStatus.QUEUED.value, error="its worker stopped")
        )
    return orphans


def next_queued(session: Session) -> int | None:
    """The oldest queued job's id."""
    return session.scalar(
        select(JobRow.id)
        .where(JobRow.status == JobStatus.QUEUED.value)
        .order_by(JobRow.id)
        .limit(1)
    )
