"""The capability coalitions pages: every coalition with its leads and roadmap, and one
coalition's progress against its roadmap, its offers and the coverage of its requirements,
as the viewer sees them (`services.coalitions`: computed from the offers it may see)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer
from ramstein.io.coalition_json import view_document
from ramstein.services import coalitions
from ramstein.store import coalitions as coalition_store
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.charts import BLUE, GREEN, ORANGE, percent_bars
from ramstein.web.render import page, render

router = APIRouter(include_in_schema=False)
SOURCE = (
    "UDCG capability coalitions and leads: public reporting 2024-2025 (see the dataset's "
    "sources); roadmap targets marked illustrative are not published figures."
)

Format = Annotated[str, Query(max_length=200)]


def coalitions_page(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Every coalition with its leads, targets and progress as the viewer sees it."""
    rows = []
    for seen in coalitions.overview(session, viewer):
        doc = view_document(
            seen.coalition,
            lead=seen.lead,
            offers=seen.offers,
            progress=seen.progress,
            coverage=None,
        )
        doc.pop("format")
        doc.pop("coverage")
        doc["offer_count"] = len(doc.pop("offers"))
        rows.append(doc)
    return {"coalitions": rows, "sources": [SOURCE]}


def coalition_page(session: Session, viewer: Viewer, coalition_id: str) -> dict[str, Any]:
    """One coalition as the viewer sees it (`ramstein.coalition/1`); unknown: LookupError."""
    if coalition_id not in {c.id for c in coalition_store.list_coalitions(session)}:
        raise LookupError(coalition_id)
    seen = coalitions.view(session, viewer, coalition_id)
    doc = seen.document()
    return {**doc, "sources": [SOURCE]}


def progress_chart(progress: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Units offered against each roadmap target, % of target (targets differ in scale)."""
    if not progress:
        return None
    return percent_bars(
        [f"{p['item']} by {p['year']}" for p in progress],
        [100 * p["share"] for p in progress],
        [f"{p['offered']:,} of {p['target']:,}" for p in progress],
        name="Offered",
        colour=[ORANGE if p["illustrative"] else BLUE for p in progress],
        title="Roadmap: units offered, % of target (orange: illustrative)",
        axis="% of target",
    )


def coverage_chart(coverage: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """Units covered by direct offers against units required, per requirement."""
    if not coverage:
        return None
    return percent_bars(
        [c["requirement"] for c in coverage],
        [100 * c["covered"] / c["required"] for c in coverage],
        [f"{c['covered']} of {c['required']}" for c in coverage],
        name="Covered",
        colour=GREEN,
        title="Requirements covered by offers, % of required",
        axis="% of required",
    )


@router.get("/coalitions", response_class=HTMLResponse)
def coalitions_list(
    request: Request, session: PageSession, viewer: PageViewer, format: Format = "html"
) -> Response:
    """The capability coalitions with their leads and roadmaps."""
    return page(request, viewer, "coalitions.html", coalitions_page(session, viewer), format)


@router.get("/coalitions/{coalition_id}", response_class=HTMLResponse)
def coalition(
    request: Request,
    coalition_id: str,
    session: PageSession,
    viewer: PageViewer,
    format: Format = "html",
) -> Response:
    """One coalition: progress against its roadmap, its offers and its requirements."""
    try:
        page_data = coalition_page(session, viewer, coalition_id)
    except LookupError:
        if format == "json":
            return JSONResponse({"detail": "no such coalition"}, status_code=404)
        return render(request, viewer, "missing.html", {"data": None, "what": "coalition"}, 404)
    return page(
        request,
        viewer,
        "coalition.html",
        page_data,
        format,
        chart=progress_chart(page_data["progress"]),
        coverage_chart=coverage_chart(page_data["coverage"]),
    )
