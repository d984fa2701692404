"""The dashboard's pages: each renders one data function of `web.data`, or serves it as JSON.

`?format=json` on any page returns exactly what the page shows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ramstein.domain.access import Action, may
from ramstein.domain.errors import InputError
from ramstein.domain.scenario import OptOutShare
from ramstein.services import releases
from ramstein.services.ledger_view import Filters
from ramstein.web import charts, csrf, data, supply
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.forms import LedgerQueryDep, choices, parse_baseline
from ramstein.web.render import page as respond
from ramstein.web.render import render
from ramstein.web.reuse import answers_of

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    without: Annotated[list[str] | None, Query(max_length=60)] = None,
    baseline: Text = "",
    mode: Annotated[OptOutShare | None, Query()] = None,
    year: Annotated[int | None, Query(ge=1999, le=2100)] = None,
    gdp: Text = "key",
    format: Text = "html",
) -> Response:
    """Baseline, counted so far, fair share vs counted per nation, and the what-if control."""
    codes = tuple(
        sorted({c.strip().upper() for w in (without or []) for c in w.split(",") if c.strip()})
    )
    errors: dict[str, str] = {}
    try:
        baseline_eur = parse_baseline(baseline)
        page_data = data.overview(session, viewer, codes, baseline_eur, mode, year, gdp)
        page_data["supply"] = supply.split_data(
            session, viewer, year, page_data["year"], answers_of(request.app.state, "supply")
        )
    except InputError as exc:
        errors[exc.field] = exc.message
        page_data = data.overview(session, viewer)
        if format == "json":
            return JSONResponse({"detail": [{"loc": [exc.field], "msg": exc.message}]}, 422)
    chart = charts.fair_vs_counted(page_data["nations"], title="Fair share and counted, EUR bn")
    return respond(
        request,
        viewer,
        "overview.html",
        page_data,
        format,
        chart=chart,
        supply_chart=supply.split_chart(page_data["supply"]) if "supply" in page_data else None,
        form={"without": codes, "baseline": baseline, "year": year, "gdp": gdp},
        errors=errors,
        status=422 if errors else 200,
        may_publish=may(viewer, Action.PUBLISH_RELEASE),
    )


@router.post("/releases", response_class=HTMLResponse)
async def publish_release(
    request: Request, session: PageSession, viewer: PageViewer, _csrf: csrf.Checked
) -> Response:
    """Publish a release of a period (coordinators), after the disclosure audit; a refused
    one comes back on the overview naming the cell."""
    raw = str((await request.form()).get("year", "")).strip()
    error = ""
    if not may(viewer, Action.PUBLISH_RELEASE):
        error = "sign in as the coordination staff to publish releases"
    elif not (raw.isdigit() and 1991 <= int(raw) <= 2100):
        error = f"year: is a year, not {raw!r}"
    else:
        try:
            with session.begin_nested():
                releases.publish(session, int(raw), actor=viewer.name)
        except InputError as exc:
            error = f"{exc.field}: {exc.message}"
    if not error:
        return RedirectResponse("/#releases-h", status_code=303)
    page_data = data.overview(session, viewer)
    chart = charts.fair_vs_counted(page_data["nations"], title="Fair share and counted, EUR bn")
    return render(
        request,
        viewer,
        "overview.html",
        {
            "data": page_data,
            "chart": chart,
            "form": {"without": (), "baseline": ""},
            "errors": {"release": error},
            "may_publish": may(viewer, Action.PUBLISH_RELEASE),
        },
        status=403 if not may(viewer, Action.PUBLISH_RELEASE) else 422,
    )


@router.get("/ledger", response_class=HTMLResponse)
def ledger(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    selected: LedgerQueryDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    format: Text = "html",
) -> Response:
    """The contributions the viewer may see, filtered and paged, with downloads."""
    form = selected.form()
    errors: dict[str, str] = {}
    try:
        filters = selected.filters()
    except InputError as exc:
        errors[exc.field] = exc.message
        filters = Filters()
    page_data = data.ledger(session, viewer, filters, page)
    query = "&".join(f"{k}={v}" for k, v in form.items() if v)
    return respond(
        request,
        viewer,
        "ledger.html",
        page_data,
        format,
        form=form,
        errors=errors,
        query=query,
        choices=choices(),
        columns=data.LEDGER_COLUMNS[:9],
    )


@router.get("/ledger/{contribution_id}", response_class=HTMLResponse)
def contribution_page(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    contribution_id: str,
    format: Text = "html",
) -> Response:
    """One contribution and its lifecycle; one the viewer may not see does not exist."""
    try:
        page_data = data.contribution(session, viewer, contribution_id)
    except LookupError:
        return render(request, viewer, "missing.html", {"what": "contribution"}, status=404)
    return respond(request, viewer, "contribution.html", page_data, format)


@router.get("/requirements", response_class=HTMLResponse)
def requirements(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Coverage by priority, asks per requirement and the donors behind each unit."""
    page_data = data.requirements(session, viewer)
    chart = charts.coverage(page_data["coverage"]) if page_data.get("plan") else None
    return respond(request, viewer, "requirements.html", page_data, format, chart=chart)


@router.get("/logistics", response_class=HTMLResponse)
def logistics(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Hub load against throughput, pallets by status, discrepancies."""
    page_data = data.logistics_page(session, viewer)
    chart = (
        charts.hub_load(page_data["periods"], page_data["hubs"]) if page_data.get("hubs") else None
    )
    return respond(request, viewer, "logistics.html", page_data, format, chart=chart)


@router.get("/training", response_class=HTMLResponse)
def training(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Sessions by host nation and the readiness of each capability."""
    page_data = data.training_page(session, viewer, answers_of(request.app.state, "readiness"))
    gantt = charts.sessions_gantt(page_data["sessions"]) if page_data.get("sessions") else None
    timeline = (
        charts.readiness_timeline(page_data["capabilities"])
        if page_data.get("capabilities")
        else None
    )
    return respond(
        request, viewer, "training.html", page_data, format, gantt=gantt, timeline=timeline
    )


@router.get("/nations/{iso3}", response_class=HTMLResponse)
def nation(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    iso3: str,
    added: Text = "",
    format: Text = "html",
) -> Response:
    """One nation's standing: fair share, counted, gap, and its history over periods."""
    try:
        page_data = data.nation(session, viewer, iso3.upper())
    except LookupError:
        return render(request, viewer, "missing.html", {"what": "nation"}, status=404)
    chart = charts.nation_history(page_data["periods"], page_data["name"])
    return respond(request, viewer, "nation.html", page_data, format, chart=chart, added=added)


@router.get("/contracts", response_class=HTMLResponse)
def contracts(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """A card per contract: ordered against delivered units per nation over time."""
    page_data = data.contracts(session)
    figures = {c["id"]: charts.contract_progress(c) for c in page_data["contracts"]}
    return respond(request, viewer, "contracts.html", page_data, format, figures=figures)


@router.get("/nations")
def nation_search(iso3: Text = "") -> Response:
    """The nation box's target (no script needed): on to that nation's page."""
    code = "".join(ch for ch in iso3.strip().upper() if ch.isascii() and ch.isalpha())[:3]
    return RedirectResponse(f"/nations/{code or 'DEU'}", status_code=303)
