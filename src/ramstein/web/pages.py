"""The dashboard's pages: each renders one data function of `web.data`, or serves it as JSON.

`?format=json` on any page returns exactly what the page shows.
"""

from __future__ import annotations

import io
from datetime import date
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from ramstein.domain.access import Action, Role, Viewer, may
from ramstein.domain.contribution_schema import FIELDS
from ramstein.domain.contributions import Category, Channel, Contribution, Status, Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.scenario import OptOutShare
from ramstein.io.export import write_csv, write_xlsx
from ramstein.services import releases
from ramstein.services.ledger_view import Filters
from ramstein.store import accounts
from ramstein.store import repositories as repo
from ramstein.web import charts, data, supply
from ramstein.web.auth import COOKIE, PageSession, PageViewer
from ramstein.web.requests import ContributionForm

templates = Jinja2Templates(directory=str(files("ramstein.web") / "templates"))


def _bn(eur: float | None, digits: int = 2) -> str:
    """EUR as billions for display; None (no figure) is shown empty."""
    return "" if eur is None else f"{eur / 1e9:,.{digits}f}"


def _pct(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


templates.env.filters["bn"] = _bn
templates.env.filters["pct"] = _pct
router = APIRouter(include_in_schema=False)
STATIC = files("ramstein.web") / "static"
PLOTLY_JS = files("plotly") / "package_data" / "plotly.min.js"

Text = Annotated[str, Query(max_length=200)]


def _render(
    request: Request, viewer: Viewer, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        template,
        {"viewer": viewer, "path": request.url.path, **context},
        status_code=status,
    )


def _page(
    request: Request,
    viewer: Viewer,
    template: str,
    page_data: dict[str, Any],
    fmt: str,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    if fmt == "json":
        return JSONResponse(page_data, status_code=status)
    return _render(request, viewer, template, {"data": page_data, **extra}, status)


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js as shipped inside the installed plotly package: no request leaves the host."""
    return FileResponse(str(PLOTLY_JS), media_type="text/javascript", headers=_CACHE)


_CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The dashboard's own stylesheet and script."""
    allowed = {"app.css": "text/css", "app.js": "text/javascript"}
    if name not in allowed:
        return Response(status_code=404)
    return Response((STATIC / name).read_text("utf-8"), media_type=allowed[name], headers=_CACHE)


def _parse_baseline(raw: str) -> float | None:
    """The baseline box takes EUR bn; empty means the scenario's own."""
    if not raw.strip():
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        raise InputError("baseline", f"is a number of EUR bn, not {raw!r}") from None
    if value < 0 or value > 1e6:
        raise InputError("baseline", "must lie between 0 and 1,000,000 EUR bn")
    return value * 1e9


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
        baseline_eur = _parse_baseline(baseline)
        page_data = data.overview(session, viewer, codes, baseline_eur, mode, year, gdp)
        page_data["supply"] = supply.split_data(
            session, viewer, year, page_data["year"], supply.cache_of(request.app.state)
        )
    except InputError as exc:
        errors[exc.field] = exc.message
        page_data = data.overview(session, viewer)
        if format == "json":
            return JSONResponse({"detail": [{"loc": [exc.field], "msg": exc.message}]}, 422)
    chart = charts.fair_vs_counted(page_data["nations"], title="Fair share and counted, EUR bn")
    return _page(
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
async def publish_release(request: Request, session: PageSession, viewer: PageViewer) -> Response:
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
    return _render(
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


def _ledger_filters(donor: str, category: str, status: str, channel: str, period: str) -> Filters:
    year = None
    if period.strip():
        if not period.strip().isdigit():
            raise InputError("period", f"is a year, not {period!r}")
        year = int(period)
    return data.filters_of(donor.upper() or None, category, status, channel, year)


@router.get("/ledger", response_class=HTMLResponse)
def ledger(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    donor: Text = "",
    category: Text = "",
    status: Text = "",
    channel: Text = "",
    period: Text = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    format: Text = "html",
) -> Response:
    """The contributions the viewer may see, filtered and paged, with downloads."""
    form = {
        "donor": donor.upper(),
        "category": category,
        "status": status,
        "channel": channel,
        "period": period,
    }
    errors: dict[str, str] = {}
    try:
        filters = _ledger_filters(donor, category, status, channel, period)
    except InputError as exc:
        errors[exc.field] = exc.message
        filters = Filters()
    page_data = data.ledger(session, viewer, filters, page)
    query = "&".join(f"{k}={v}" for k, v in form.items() if v)
    return _page(
        request,
        viewer,
        "ledger.html",
        page_data,
        format,
        form=form,
        errors=errors,
        query=query,
        choices=_choices(),
        columns=data.LEDGER_COLUMNS[:9],
    )


def _export_rows(
    session: PageSession,
    viewer: Viewer,
    donor: str,
    category: str,
    status: str,
    channel: str,
    period: str,
) -> list[Contribution]:
    return data.ledger_export(
        session, viewer, _ledger_filters(donor, category, status, channel, period)
    )


@router.get("/ledger.csv")
def ledger_csv(
    session: PageSession,
    viewer: PageViewer,
    donor: Text = "",
    category: Text = "",
    status: Text = "",
    channel: Text = "",
    period: Text = "",
) -> Response:
    """Exactly the filtered rows the viewer may see, as CSV."""
    rows = _export_rows(session, viewer, donor, category, status, channel, period)
    out = io.StringIO()
    write_csv(out, rows)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="ramstein-ledger.csv"'},
    )


@router.get("/ledger.xlsx")
def ledger_xlsx(
    session: PageSession,
    viewer: PageViewer,
    donor: Text = "",
    category: Text = "",
    status: Text = "",
    channel: Text = "",
    period: Text = "",
) -> Response:
    """Exactly the filtered rows the viewer may see, as an Excel workbook."""
    rows = _export_rows(session, viewer, donor, category, status, channel, period)
    out = io.BytesIO()
    write_xlsx(out, rows, title="Contributions")
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="ramstein-ledger.xlsx"'},
    )


# The record's fields a form fills (its donor is the signed-in nation's, or typed apart).
NEW_FIELDS = tuple(n for n in FIELDS if n not in ("donor", "recipient", "funders", "parent"))


def _new_form(viewer: Viewer, values: dict[str, str] | None = None) -> dict[str, str]:
    blank = {
        "id": "",
        "donor": viewer.nation or "",
        "amount": "",
        "currency": "EUR",
        "date": date.today().isoformat(),
        "category": "in_kind",
        "status": "delivered",
        "visibility": "nation",
        "channel": "bilateral",
        "description": "",
        "source": "",
    }
    return {**blank, **(values or {})}


def _may_add(viewer: Viewer) -> bool:
    return viewer.role in (Role.COORDINATOR, Role.NATION)


@router.get("/ledger/new", response_class=HTMLResponse)
def new_contribution_form(request: Request, viewer: PageViewer) -> HTMLResponse:
    """The form a ministry fills to record a contribution."""
    return _render(
        request,
        viewer,
        "contribution_form.html",
        {
            "form": _new_form(viewer),
            "errors": {},
            "allowed": _may_add(viewer),
            "choices": _choices(),
        },
    )


def _choices() -> dict[str, list[str]]:
    return {
        "category": [c.value for c in Category],
        "status": [s.value for s in Status],
        "channel": [c.value for c in Channel],
        "visibility": [v.value for v in Visibility],
    }


def _field_of(loc: str) -> str:
    """The form field an error path names (`contributions[x].donor` -> `donor`)."""
    tail = loc.rsplit(".", 1)[-1] if "." in loc else loc
    return tail if tail in (*NEW_FIELDS, "donor") else "id"


@router.post("/ledger/new", response_class=HTMLResponse)
async def add_contribution(request: Request, session: PageSession, viewer: PageViewer) -> Response:
    """Record a contribution from the form; on error, the form again with what was typed."""
    posted = {k: str(v) for k, v in (await request.form()).items()}
    form = _new_form(viewer, {k: posted.get(k, "").strip() for k in (*NEW_FIELDS, "donor")})
    if viewer.role is Role.NATION:
        form["donor"] = viewer.nation or ""
    errors: dict[str, str] = {}
    if not _may_add(viewer):
        errors["id"] = "sign in as a nation or the coordination staff to add contributions"
    elif not may(viewer, Action.WRITE_CONTRIBUTION, form["donor"]):
        errors["donor"] = f"you may not write contributions of {form['donor']!r}"
    body: ContributionForm | None = None
    if not errors:
        try:
            body = ContributionForm.model_validate(
                {
                    **form,
                    "id": form["id"] or None,
                    "amount": form["amount"].replace(",", "") or None,
                }
            )
        except ValidationError as exc:
            for err in exc.errors():
                errors.setdefault(str(err["loc"][0]), err["msg"])
    contribution = None
    if body is not None and not errors:
        contribution = body.domain(repo.new_contribution_id(session, body.donor))
        try:
            repo.check_new_id(session, contribution, viewer)
            if repo.get_contribution(session, contribution.id) is not None:
                # Only the writer's own rows carry ids under its prefix: nothing is revealed.
                raise InputError("id", f"{contribution.id!r} exists; choose another id")
            # A savepoint: a refused row leaves nothing behind in the transaction.
            with session.begin_nested():
                repo.upsert_contribution(
                    session,
                    contribution,
                    actor=viewer.name,
                    reason="created on the dashboard",
                    writer=viewer,
                )
        except InputError as exc:
            errors[_field_of(exc.field)] = exc.message
    if errors:
        return _render(
            request,
            viewer,
            "contribution_form.html",
            {"form": form, "errors": errors, "allowed": _may_add(viewer), "choices": _choices()},
            status=422,
        )
    assert contribution is not None
    return RedirectResponse(
        f"/nations/{contribution.donor}?added={contribution.id}", status_code=303
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
        return _render(request, viewer, "missing.html", {"what": "contribution"}, status=404)
    return _page(request, viewer, "contribution.html", page_data, format)


@router.get("/requirements", response_class=HTMLResponse)
def requirements(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Coverage by priority, asks per requirement and the donors behind each unit."""
    page_data = data.requirements(session, viewer)
    chart = charts.coverage(page_data["coverage"]) if page_data.get("plan") else None
    return _page(request, viewer, "requirements.html", page_data, format, chart=chart)


@router.get("/logistics", response_class=HTMLResponse)
def logistics(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Hub load against throughput, pallets by status, discrepancies."""
    page_data = data.logistics_page(session, viewer)
    chart = (
        charts.hub_load(page_data["periods"], page_data["hubs"]) if page_data.get("hubs") else None
    )
    return _page(request, viewer, "logistics.html", page_data, format, chart=chart)


@router.get("/training", response_class=HTMLResponse)
def training(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """Sessions by host nation and the readiness of each capability."""
    page_data = data.training_page(session, viewer)
    gantt = charts.sessions_gantt(page_data["sessions"]) if page_data.get("sessions") else None
    timeline = (
        charts.readiness_timeline(page_data["capabilities"])
        if page_data.get("capabilities")
        else None
    )
    return _page(
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
        return _render(request, viewer, "missing.html", {"what": "nation"}, status=404)
    chart = charts.nation_history(page_data["periods"], page_data["name"])
    return _page(request, viewer, "nation.html", page_data, format, chart=chart, added=added)


@router.get("/contracts", response_class=HTMLResponse)
def contracts(
    request: Request, session: PageSession, viewer: PageViewer, format: Text = "html"
) -> Response:
    """A card per contract: ordered against delivered units per nation over time."""
    page_data = data.contracts(session)
    figures = {c["id"]: charts.contract_progress(c) for c in page_data["contracts"]}
    return _page(request, viewer, "contracts.html", page_data, format, figures=figures)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, viewer: PageViewer) -> HTMLResponse:
    """The sign-in form."""
    return _render(request, viewer, "signin.html", {"name": "", "errors": {}})


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request, session: PageSession, viewer: PageViewer) -> Response:
    """Check the password, then keep a token in an HTTP-only cookie."""
    posted = await request.form()
    name, password = str(posted.get("name", "")).strip(), str(posted.get("password", ""))
    errors = {}
    if not name:
        errors["name"] = "enter your account name"
    if not password:
        errors["password"] = "enter your password"
    token = accounts.sign_in(session, name, password) if not errors else None
    if token is None:
        errors.setdefault("password", "the name and password do not match an account")
        return _render(request, viewer, "signin.html", {"name": name, "errors": errors}, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        max_age=86_400,
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/signout")
def signout(request: Request, session: PageSession) -> Response:
    """Revoke this browser's token and forget the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        accounts.revoke_token(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response
