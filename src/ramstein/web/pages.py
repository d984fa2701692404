"""HTML pages: each renders the data the matching API route returns."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ramstein.api.deps import SessionDep
from ramstein.api.routes.shares import standing_for
from ramstein.domain.scenario import OptOutShare

templates = Jinja2Templates(directory=str(files("ramstein.web") / "templates"))
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    session: SessionDep,
    without: Annotated[str, Query()] = "",
    baseline: Annotated[float | None, Query()] = None,
    mode: Annotated[OptOutShare | None, Query()] = None,
) -> HTMLResponse:
    """The fair-share table of the current scenario, with the what-if form."""
    standing = standing_for(session, without, baseline, mode)
    rows = sorted(standing.result.nations, key=lambda n: (-n.fair_share_eur, n.iso3))
    before = standing.base.by_iso3() if standing.base else {}
    return templates.TemplateResponse(
        request,
        "overview.html",
        {
            "standing": standing,
            "rows": rows,
            "before": before,
            "without": without,
            "baseline": baseline,
        },
    )
