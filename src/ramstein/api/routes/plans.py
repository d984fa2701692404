"""`/api/v1/plans`: saved plans, and planner runs as jobs polled for their status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from sqlalchemy.orm import Session

from ramstein.api.deps import SessionDep, ViewerDep, require
from ramstein.api.schemas import JobPublic
from ramstein.domain.access import Role
from ramstein.services import matching, routing, training
from ramstein.store.db import Store
from ramstein.store.models import JobRow
from ramstein.store.plans import list_plans

router = APIRouter(prefix="/plans", tags=["plans"])

Kind = Literal["match", "route", "train"]
Serial = Annotated[int, Path(ge=1, le=2**31 - 1)]
READERS = (Role.COORDINATOR, Role.RECIPIENT)
JOB_TIME_LIMIT = 120.0


def _run(kind: str, session: Session, actor: str) -> int:
    limit = JOB_TIME_LIMIT
    if kind == "match":
        return matching.plan_and_save(session, actor=actor, time_limit=limit).record.version
    if kind == "route":
        return routing.plan_and_save(session, actor=actor, time_limit=limit).record.version
    return training.plan_and_save(session, actor=actor, time_limit=limit).record.version


def _job(row: JobRow) -> JobPublic:
    return JobPublic(
        id=row.id,
        kind=row.kind,
        status=row.status,
        plan_version=row.plan_version,
        error=row.error,
    )


def _execute(store: Store, job_id: int, kind: str, actor: str) -> None:
    """Run a planner for a job in its own transaction, recording how it ended."""
    with store.transaction(actor=actor) as session:
        row = session.get(JobRow, job_id)
        assert row is not None
        row.status = "running"
    try:
        with store.transaction(actor=actor) as session:
            version = _run(kind, session, actor)
        status, error = "done", ""
    except Exception as exc:  # a failed run is reported through the job, not lost
        version, status, error = None, "failed", str(exc)
    with store.transaction(actor=actor) as session:
        row = session.get(JobRow, job_id)
        assert row is not None
        row.status, row.error, row.plan_version = status, error, version
        row.finished_at = datetime.now(UTC)


@router.post(
    "/{kind}",
    status_code=202,
    response_model=JobPublic,
    responses={403: {"description": "Coordinators only"}},
)
def start_plan(kind: Kind, request: Request, session: SessionDep, viewer: ViewerDep) -> JobPublic:
    """Run a planner over the store as a job; poll `/plans/jobs/{id}` for its status."""
    require(viewer, Role.COORDINATOR)
    row = JobRow(
        kind=kind, status="queued", actor=viewer.name, created_at=datetime.now(UTC), error=""
    )
    session.add(row)
    session.flush()
    job = _job(row)
    session.commit()
    request.app.state.executor.submit(_execute, request.app.state.store, row.id, kind, viewer.name)
    return job


@router.get(
    "/jobs/{job_id}",
    response_model=JobPublic,
    responses={403: {"description": "Coordinators only"}, 404: {"description": "None"}},
)
def get_job(job_id: Serial, session: SessionDep, viewer: ViewerDep) -> JobPublic:
    """How far a planner run got."""
    require(viewer, Role.COORDINATOR)
    row = session.get(JobRow, job_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"jobs[{job_id}]: not found")
    return _job(row)


@router.get("/{kind}", responses={403: {"description": "Coordinators and the recipient"}})
def list_kind(kind: Kind, session: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """The saved plans of a kind, oldest first, without their documents."""
    require(viewer, *READERS)
    return [
        {
            "version": r.version,
            "created_at": r.created_at.isoformat(),
            "actor": r.actor,
            "inputs_digest": r.inputs_digest,
            "score": r.score,
            "bound": r.bound,
            "optimal": r.optimal,
        }
        for r in list_plans(session, kind)
    ]


@router.get(
    "/{kind}/{version}",
    responses={
        403: {"description": "Coordinators and the recipient"},
        404: {"description": "No such version"},
    },
)
def get_plan(kind: Kind, version: Serial, session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """One saved plan's document."""
    require(viewer, *READERS)
    for r in list_plans(session, kind):
        if r.version == version:
            return r.document
    raise HTTPException(status_code=404, detail=f"plans[{kind}/{version}]: not found")
