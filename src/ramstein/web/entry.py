"""The ledger entry form: a ministry records a contribution from the browser."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from ramstein.domain.access import Action, Role, may
from ramstein.domain.errors import InputError
from ramstein.store import repositories as repo
from ramstein.web import csrf
from ramstein.web.auth import PageSession, PageViewer
from ramstein.web.forms import NEW_FIELDS, choices, field_of, may_add, new_form
from ramstein.web.render import render
from ramstein.web.requests import ContributionForm

router = APIRouter(include_in_schema=False)


@router.get("/ledger/new", response_class=HTMLResponse)
def new_contribution_form(request: Request, viewer: PageViewer) -> HTMLResponse:
    """The form a ministry fills to record a contribution."""
    return render(
        request,
        viewer,
        "contribution_form.html",
        {"form": new_form(viewer), "errors": {}, "allowed": may_add(viewer), "choices": choices()},
    )


@router.post("/ledger/new", response_class=HTMLResponse)
async def add_contribution(
    request: Request, session: PageSession, viewer: PageViewer, _csrf: csrf.Checked
) -> Response:
    """Record a contribution from the form; on error, the form again with what was typed."""
    posted = {k: str(v) for k, v in (await request.form()).items()}
    form = new_form(viewer, {k: posted.get(k, "").strip() for k in (*NEW_FIELDS, "donor")})
    if viewer.role is Role.NATION:
        form["donor"] = viewer.nation or ""
    errors: dict[str, str] = {}
    if not may_add(viewer):
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
            errors[field_of(exc.field)] = exc.message
    if errors:
        return render(
            request,
            viewer,
            "contribution_form.html",
            {"form": form, "errors": errors, "allowed": may_add(viewer), "choices": choices()},
            status=422,
        )
    assert contribution is not None
    return RedirectResponse(
        f"/nations/{contribution.donor}?added={contribution.id}", status_code=303
    )
