"""The workflow pages: the liaison states and reprioritises requirements and confirms
receipts, a ministry answers with offers, the coordinator plans, compares and accepts, and
contributions are edited along their lifecycle. Each form posts to the same library calls as
the CLI and the API (`store.catalog`, `ledger.editing`, `services.acceptance`,
`services.tracking`, `services.jobs`); a refused form shows the one-line error and writes
nothing. Every form carries the CSRF token, which the site's router checks on each POST
(`web.site`, `web.csrf`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ramstein.domain.access import Action, Role, Viewer, may
from ramstein.domain.contributions import Status, Visibility
from ramstein.domain.errors import InputError
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.plans import PlanKind
from ramstein.domain.tracking import Receipt
from ramstein.ledger.editing import Edit, edit
from ramstein.services import acceptance, jobs, tracking
from ramstein.store import catalog
from ramstein.store import repositories as repo
from ramstein.web import workflow_data
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.render import page

router = APIRouter(include_in_schema=False)
Fmt = Annotated[str, Query(max_length=200)]


def _render(
    request: Request,
    viewer: Viewer,
    template: str,
    page_data: dict[str, Any],
    fmt: str = "html",
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The page as HTML (with the form token every form carries), or its data as JSON."""
    return page(request, viewer, template, page_data, fmt, status=status, **extra)


def _after_write(
    request: Request,
    viewer: Viewer,
    template: str,
    page_data: dict[str, Any],
    error: str,
    done: str,
    **extra: Any,
) -> Response:
    """A desk after a form's write: refused, its one-line error (422); else what was done."""
    return _render(
        request,
        viewer,
        template,
        page_data,
        status=422 if error else 200,
        error=error,
        done="" if error else done,
        **extra,
    )


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v).strip() for k, v in form.multi_items() if k != "substitutes"} | {
        "substitutes": ",".join(str(v) for v in form.getlist("substitutes"))
    }


def _int(form: dict[str, str], name: str, field: str, *, minimum: int = 0) -> int:
    raw = form.get(name, "").replace(",", "")
    if not raw:
        return 0 if minimum == 0 else _bad(field, "is required")
    if not raw.isdigit() or int(raw) < minimum:
        _bad(field, f"must be a whole number of at least {minimum}, not {raw!r}")
    return int(raw)


def _bad(field: str, message: str) -> Any:
    raise InputError(field, message)


def _day(form: dict[str, str], name: str, field: str) -> date | None:
    raw = form.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(field, f"{raw!r} is not a date (YYYY-MM-DD)") from None


def _write(session: Session, action: Callable[[], Any]) -> str:
    """Run a write in a savepoint; the one-line error when refused (nothing is kept)."""
    try:
        with session.begin_nested():
            action()
    except InputError as exc:
        return str(exc)
    return ""


# The recipient's liaison: requirements.


@router.get("/requirements/desk", response_class=HTMLResponse)
def requirements_desk(
    request: Request, session: PageSession, viewer: PageViewer, format: Fmt = "html"
) -> Response:
    """Add, edit, reprioritise and close requirements."""
    page = workflow_data.requirements_desk(session, viewer)
    return _render(request, viewer, "requirements_desk.html", page, format, done="")


@router.post("/requirements/desk", response_class=HTMLResponse)
async def save_requirement(request: Request, session: PageSession, viewer: PageViewer) -> Response:
    """Add or change one requirement."""
    if not may(viewer, Action.WRITE_REQUIREMENT):
        raise HTTPException(status_code=403, detail="role: may not write requirements")
    form = await _form(request)
    rid = form.get("id", "")

    def save() -> None:
        field = f"requirements[{rid}]"
        if not rid:
            _bad("requirements.id", "is required")
        priority_raw = form.get("priority", "")
        try:
            priority = float(priority_raw)
        except ValueError:
            raise InputError(f"{field}.priority", f"{priority_raw!r} is not a number") from None
        subs = tuple(s for s in form.get("substitutes", "").split(",") if s)
        catalog.upsert_requirement(
            session,
            Requirement(
                rid,
                form.get("item", ""),
                _int(form, "quantity", f"{field}.quantity", minimum=1),
                priority,
                _day(form, "needed_by", f"{field}.needed_by"),
                subs,
                coalition=form.get("coalition") or None,
            ),
        )
        session.flush()
        catalog.match_instance(session).check()

    error = _write(session, save)
    page = workflow_data.requirements_desk(session, viewer)
    done = f"Requirement {rid} saved."
    return _after_write(
        request, viewer, "requirements_desk.html", page, error, done, form=form if error else {}
    )


@router.post("/requirements/desk/{requirement_id}/close", response_class=HTMLResponse)
def close_requirement(
    request: Request, requirement_id: str, session: PageSession, viewer: PageViewer
) -> Response:
    """Close a requirement: it leaves the open list (an audited delete)."""
    if not may(viewer, Action.WRITE_REQUIREMENT):
        raise HTTPException(status_code=403, detail="role: may not write requirements")
    error = _write(session, lambda: catalog.remove_requirement(session, requirement_id))
    page = workflow_data.requirements_desk(session, viewer)
    done = f"Requirement {requirement_id} closed."
    return _after_write(request, viewer, "requirements_desk.html", page, error, done)


# A ministry: offers and asks.


@router.get("/offers", response_class=HTMLResponse)
def offers_desk(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    format: Fmt = "html",
    towards: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """What is needed and asked of the viewer's nation; its offers, made and edited here."""
    page = workflow_data.offers_desk(session, viewer)
    need = next((r for r in page.get("requirements", []) if r["id"] == towards), None)
    form = {"item": need["item"]} if need else {}
    return _render(request, viewer, "offers_desk.html", page, format, form=form, done="")


@router.post("/offers", response_class=HTMLResponse)
async def save_offer(request: Request, session: PageSession, viewer: PageViewer) -> Response:
    """Make or change an offer of the viewer's nation."""
    form = await _form(request)
    donor = ((viewer.nation or "") if viewer.role is Role.NATION else form.get("donor", "")).upper()
    if not may(viewer, Action.WRITE_OFFER, donor):
        raise HTTPException(status_code=403, detail=f"donor: may not write offers of {donor}")
    oid = form.get("id", "")

    def save() -> None:
        field = f"offers[{oid}]"
        if not oid:
            _bad("offers.id", "is required")
        repo.own_ids(session, oid, donor, viewer, f"{field}.id")
        existing = {o.id: o for o in catalog.list_offers(session)}
        if oid in existing and existing[oid].donor != donor:
            _bad(f"{field}.id", "is another donor's offer")
        try:
            shown = Visibility(form.get("visibility", "alliance"))
        except ValueError:
            raise InputError(f"{field}.visibility", "is public, alliance or nation") from None
        catalog.upsert_offer(
            session,
            Offer(
                oid,
                donor,
                form.get("item", ""),
                _int(form, "quantity", f"{field}.quantity", minimum=1),
                _day(form, "available_from", f"{field}.available_from"),
                shown,
                form.get("note", ""),
            ),
        )
        session.flush()
        catalog.match_instance(session).check()

    error = _write(session, save)
    page = workflow_data.offers_desk(session, viewer)
    return _after_write(
        request,
        viewer,
        "offers_desk.html",
        page,
        error,
        f"Offer {oid} saved.",
        form=form if error else {},
    )


@router.post("/offers/{offer_id}/withdraw", response_class=HTMLResponse)
def withdraw_offer(
    request: Request, offer_id: str, session: PageSession, viewer: PageViewer
) -> Response:
    """Withdraw one of the viewer's offers."""
    offers = {o.id: o for o in catalog.list_offers(session)}
    offer = offers.get(offer_id)
    if offer is None or not may(viewer, Action.WRITE_OFFER, offer.donor):
        # Another nation's offer is not there for this viewer.
        error = f"offers[{offer_id}]: no such offer of yours"
    else:
        error = _write(session, lambda: catalog.remove_offer(session, offer_id))
    page = workflow_data.offers_desk(session, viewer)
    return _after_write(
        request, viewer, "offers_desk.html", page, error, f"Offer {offer_id} withdrawn.", form={}
    )


# The coordinator: planning.


@router.get("/planning", response_class=HTMLResponse)
def planning_desk(
    request: Request,
    session: PageSession,
    viewer: PageViewer,
    format: Fmt = "html",
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    after: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """Run the planners as jobs, compare two match plans, accept one."""
    page = workflow_data.planning_desk(session, viewer, before, after)
    return _render(request, viewer, "planning_desk.html", page, format, done="")


@router.post("/planning/run/{kind}")
def run_planner(request: Request, kind: str, session: PageSession, viewer: PageViewer) -> Response:
    """Queue a planner as a job; its progress shows on the jobs page."""
    if not may(viewer, Action.RUN_PLANS):
        raise HTTPException(status_code=403, detail="role: may not run planners")
    if kind not in {k.value for k in PlanKind}:
        raise HTTPException(status_code=404, detail=f"planner {kind!r}: no such planner")
    job, new = jobs.submit(session, PlanKind(kind), actor=viewer.name)
    session.commit()
    if new:
        request.app.state.jobs.enqueued(job.id)
    return RedirectResponse(f"/jobs?started={job.id}", status_code=303)


@router.post("/planning/accept/{version}", response_class=HTMLResponse)
def accept_plan(
    request: Request, version: int, session: PageSession, viewer: PageViewer
) -> Response:
    """Accept a match plan: its offers become committed contributions and consignments."""
    if not may(viewer, Action.RUN_PLANS):
        raise HTTPException(status_code=403, detail="role: may not accept plans")
    done: list[Any] = []
    error = _write(
        session,
        lambda: done.append(acceptance.accept_match_plan(session, version, actor=viewer.name)),
    )
    message = ""
    if done:
        a = done[0]
        message = (
            f"Match plan {a.version} accepted: {len(a.contributions)} contribution(s) "
            f"committed, {len(a.consignments)} consignment(s) to route."
        )
    page = workflow_data.planning_desk(session, viewer, None, None)
    return _after_write(request, viewer, "planning_desk.html", page, error, message)


# The liaison: receipts.


@router.get("/receipts", response_class=HTMLResponse)
def receipts_desk(
    request: Request, session: PageSession, viewer: PageViewer, format: Fmt = "html"
) -> Response:
    """Confirm what arrived, per consignment."""
    page = workflow_data.receipts_desk(session, viewer)
    return _render(request, viewer, "receipts_desk.html", page, format, done="")


@router.post("/receipts/{consignment}", response_class=HTMLResponse)
async def confirm_receipt(
    request: Request, consignment: str, session: PageSession, viewer: PageViewer
) -> Response:
    """Record a receipt: pallets received, damaged and lost, with a note."""
    if not may(viewer, Action.RECORD_TRACKING):
        raise HTTPException(status_code=403, detail="role: may not record receipts")
    form = await _form(request)
    field = f"receipts[{consignment}]"

    def record() -> None:
        receipt = Receipt(
            consignment,
            _int(form, "received", f"{field}.received"),
            _int(form, "damaged", f"{field}.damaged"),
            _int(form, "lost", f"{field}.lost"),
            form.get("note", ""),
        )
        tracking.confirm_receipt(session, receipt, actor=viewer.name)

    error = _write(session, record)
    page = workflow_data.receipts_desk(session, viewer)
    return _after_write(
        request, viewer, "receipts_desk.html", page, error, f"Receipt of {consignment} recorded."
    )


# Contributions: edits and lifecycle moves.


@router.get("/ledger/{contribution_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, contribution_id: str, session: PageSession, viewer: PageViewer
) -> Response:
    """Change a contribution's amount and currency, and move it along its lifecycle."""
    try:
        page = workflow_data.contribution_edit(session, viewer, contribution_id)
    except LookupError:
        raise HTTPException(status_code=404, detail=f"contributions[{contribution_id}]") from None
    return _render(
        request,
        viewer,
        "contribution_edit.html",
        page,
        statuses=[s.value for s in Status],
        done="",
    )


@router.post("/ledger/{contribution_id}/edit", response_class=HTMLResponse)
async def save_edit(
    request: Request, contribution_id: str, session: PageSession, viewer: PageViewer
) -> Response:
    """Save an edit through the ledger's one write path."""
    try:
        page = workflow_data.contribution_edit(session, viewer, contribution_id)
    except LookupError:
        raise HTTPException(status_code=404, detail=f"contributions[{contribution_id}]") from None
    if not page["allowed"]:
        raise HTTPException(status_code=403, detail=f"donor: may not write for {page['donor']}")
    form = await _form(request)
    field = f"contributions[{contribution_id}]"

    def save() -> None:
        raw = form.get("amount", "").replace(",", "")
        amount = None
        if raw and raw != page["amount"]:
            try:
                amount = float(raw)
            except ValueError:
                raise InputError(f"{field}.amount", f"{raw!r} is not a number") from None
        currency = form.get("currency", "") or None
        status_raw = form.get("status", "")
        status = Status(status_raw) if status_raw in {s.value for s in Status} else None
        change = Edit(
            amount,
            None if currency == page["currency"] else currency,
            None if status is not None and status.value == page["status"] else status,
        )
        edit(
            session,
            contribution_id,
            change,
            actor=viewer.name,
            reason=form.get("why", ""),
            writer=viewer,
        )

    error = _write(session, save)
    if not error:
        # Committed before the redirect: the browser's next request must see the edit.
        session.commit()
        return RedirectResponse(f"/ledger/{contribution_id}?edited=1", status_code=303)
    page = {
        **workflow_data.contribution_edit(session, viewer, contribution_id),
        **{k: form.get(k, "") for k in ("amount", "currency")},
    }
    return _render(
        request,
        viewer,
        "contribution_edit.html",
        page,
        status=422,
        statuses=[s.value for s in Status],
        error=error,
        done="",
        why=form.get("why", ""),
    )
