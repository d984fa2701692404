"""The planner jobs page: every job with its live progress, for the coordination staff.

The page polls its own `?format=json` every two seconds (static/app.js) while a job is
queued or running, so progress shows as the solvers report it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ramstein.domain.access import Action, Viewer, may
from ramstein.services import jobs
from ramstein.web import csrf
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.render import page

router = APIRouter(include_in_schema=False)


def jobs_page(session: Session, viewer: Viewer) -> dict[str, Any]:
    """The newest 50 jobs with their progress; coordinators only."""
    if not may(viewer, Action.RUN_PLANS):
        return {"allowed": False}
    rows = []
    for j in jobs.list_jobs(session, limit=50):
        rows.append(
            {
                "id": j.id,
                "kind": j.kind.value,
                "status": j.status.value,
                "actor": j.actor,
                "created_at": j.created_at.isoformat(timespec="seconds"),
                "attempts": j.attempts,
                "incumbent": j.incumbent,
                "bound": j.bound,
                "gap_pct": None if j.gap is None else round(100 * j.gap, 3),
                "elapsed": j.elapsed,
                "time_limit": j.time_limit,
                "plan_version": j.plan_version,
                "error": j.error,
            }
        )
    active = any(r["status"] in ("queued", "running") for r in rows)
    return {"allowed": True, "jobs": rows, "active": active}


@router.get("/jobs", response_class=HTMLResponse)
def planner_jobs(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    format: Annotated[str, Query(max_length=200)] = "html",
) -> Response:
    """Planner jobs and their progress, refreshed live while any is queued or running."""
    # Rendered as every page is (`web.render`): its sign-out form carries the form token.
    return page(request, viewer, "jobs.html", jobs_page(session, viewer), format)


@router.post("/jobs/{job_id}/cancel", response_class=HTMLResponse)
def cancel_job(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    _csrf: csrf.Checked,
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    """Cancel a queued or running job (its worker stops the solve); back to the jobs page,
    which says so if the job had ended already."""
    if not may(viewer, Action.RUN_PLANS):
        return page(request, viewer, "jobs.html", {"allowed": False}, "html", status=403)
    try:
        jobs.cancel_active(
            session, job_id, actor=viewer.name, notify=request.app.state.jobs.cancelled
        )
    except jobs.NotActive as exc:
        data = jobs_page(session, viewer)
        error = f"job {job_id}: {exc.state}"
        return page(request, viewer, "jobs.html", data, "html", status=409, error=error)
    return RedirectResponse("/jobs", status_code=303)
