"""`/api/v1/plans`: saved plans, and planner jobs (queued, watched, cancelled)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from sqlalchemy.orm import Session

from ramstein.api.deps import Coordinator, PlanReader, SessionDep
from ramstein.api.schemas import (
    AcceptancePublic,
    JobProgress,
    JobPublic,
    PlanComparison,
    RequirementChangePublic,
)
from ramstein.domain.access import Viewer
from ramstein.domain.plans import PlanKind
from ramstein.services import acceptance, jobs
from ramstein.services.jobs import Job
from ramstein.services.plan_views import document_for, headers_for
from ramstein.store.plans import list_plans

router = APIRouter(prefix="/plans", tags=["plans"])

Kind = Literal["match", "route", "train"]
Serial = Annotated[int, Path(ge=1, le=2**31 - 1)]


def job_public(job: Job) -> JobPublic:
    """A job as the API shows it."""

    def at(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value is not None else None

    return JobPublic(
        id=job.id,
        kind=job.kind.value,
        status=job.status.value,
        actor=job.actor,
        created_at=at(job.created_at) or "",
        started_at=at(job.started_at),
        finished_at=at(job.finished_at),
        attempts=job.attempts,
        plan_version=job.plan_version,
        error=job.error,
        progress=JobProgress.model_validate(job),
    )


def _found(session: Session, job_id: int) -> Job:
    job = jobs.get(session, job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"jobs[{job_id}]: not found")
    return job


@router.post(
    "/{kind}",
    status_code=202,
    response_model=JobPublic,
    responses={
        200: {"description": "The same planner over the same inputs is queued or running"},
        403: {"description": "Coordinators only"},
    },
)
def start_plan(
    kind: Kind,
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: Coordinator,
    time_limit: Annotated[
        float, Query(gt=0, le=3600, description="seconds the solver may take")
    ] = jobs.DEFAULT_TIME_LIMIT,
) -> JobPublic:
    """Queue a planner over the store; poll `/plans/jobs/{id}` for its status and progress."""
    job, new = jobs.submit(session, PlanKind(kind), actor=viewer.name, time_limit=time_limit)
    session.commit()
    if new:
        request.app.state.jobs.enqueued(job.id)
    else:
        response.status_code = 200
    return job_public(job)


@router.get(
    "/jobs", response_model=list[JobPublic], responses={403: {"description": "Coordinators only"}}
)
def list_jobs(
    session: SessionDep,
    viewer: Coordinator,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[JobPublic]:
    """Planner jobs, newest first."""
    return [job_public(j) for j in jobs.list_jobs(session, limit=limit)]


@router.get(
    "/jobs/{job_id}",
    response_model=JobPublic,
    responses={403: {"description": "Coordinators only"}, 404: {"description": "None"}},
)
def get_job(job_id: Serial, session: SessionDep, viewer: Coordinator) -> JobPublic:
    """A job's status and progress (incumbent, bound, gap, elapsed, time limit)."""
    return job_public(_found(session, job_id))


def _cancel(job_id: int, request: Request, session: Session, viewer: Viewer) -> JobPublic:
    try:
        cancelled = jobs.cancel_active(
            session, job_id, actor=viewer.name, notify=request.app.state.jobs.cancelled
        )
    except jobs.NotActive as exc:
        raise HTTPException(status_code=404 if exc.job is None else 409, detail=str(exc)) from None
    return job_public(cancelled)


CANCEL_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Coordinators only"},
    404: {"description": "None"},
    409: {"description": "The job has ended already"},
}


@router.delete("/jobs/{job_id}", response_model=JobPublic, responses=CANCEL_RESPONSES)
def cancel_job(
    job_id: Serial, request: Request, session: SessionDep, viewer: Coordinator
) -> JobPublic:
    """Cancel a queued or running job (a running solve is stopped)."""
    return _cancel(job_id, request, session, viewer)


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic, responses=CANCEL_RESPONSES)
def cancel_job_post(
    job_id: Serial, request: Request, session: SessionDep, viewer: Coordinator
) -> JobPublic:
    """Cancel a queued or running job (the same as DELETE, for forms)."""
    return _cancel(job_id, request, session, viewer)


@router.get(
    "/match/compare",
    response_model=PlanComparison,
    responses={
        403: {"description": "Coordinators and the recipient"},
        422: {"description": "No such version"},
    },
)
def compare_match_plans(
    session: SessionDep,
    viewer: PlanReader,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    after: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> PlanComparison:
    """Two saved match plans compared (default: the newest against the one before): which
    requirements gained or lost planned units, and their donors."""
    old, new, changes = acceptance.compare(session, before, after, viewer)
    return PlanComparison(
        before=old,
        after=new,
        requirements=[RequirementChangePublic.model_validate(c) for c in changes],
    )


@router.post(
    "/match/{version}/accept",
    response_model=AcceptancePublic,
    responses={403: {"description": "Coordinators only"}, 422: {"description": "No such version"}},
)
def accept_match_plan(
    version: Serial, session: SessionDep, viewer: Coordinator
) -> AcceptancePublic:
    """Accept a match plan: the offers it uses become committed contributions (linked to
    the offer, value to be confirmed) and consignments to route; accepting again adds
    only what is new."""
    done = acceptance.accept_match_plan(session, version, actor=viewer.name)
    return AcceptancePublic(
        version=done.version,
        contributions=list(done.contributions),
        consignments=list(done.consignments),
        kept=list(done.kept),
        not_routed=dict(done.not_routed),
    )


@router.get("/{kind}", responses={403: {"description": "Coordinators and the recipient"}})
def list_kind(kind: Kind, session: SessionDep, viewer: PlanReader) -> list[dict[str, Any]]:
    """The saved plans of a kind, oldest first, without their documents (figures as the
    caller may read them: a match plan's score counts only the offers it may see)."""
    return headers_for(session, viewer, list_plans(session, PlanKind(kind)))


@router.get(
    "/{kind}/{version}",
    responses={
        403: {"description": "Coordinators and the recipient"},
        404: {"description": "No such version"},
    },
)
def get_plan(
    kind: Kind, version: Serial, session: SessionDep, viewer: PlanReader
) -> dict[str, Any]:
    """One saved plan's document, as the caller may read it (a match plan without the
    offers it may not see)."""
    for r in list_plans(session, PlanKind(kind)):
        if r.version == version:
            return document_for(session, viewer, r)
    raise HTTPException(status_code=404, detail=f"plans[{kind}/{version}]: not found")
