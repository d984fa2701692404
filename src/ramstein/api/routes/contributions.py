"""`/api/v1/contributions`: the ledger, as the caller may see and change it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from ramstein.api import idempotency
from ramstein.api.deps import SessionDep, ViewerDep, require
from ramstein.api.schemas import (
    AggregatePublic,
    ContributionCreate,
    ContributionPage,
    ContributionPublic,
    ContributionUpdate,
    StatusChange,
)
from ramstein.domain.access import Action, can_see
from ramstein.domain.contributions import (
    Category,
    Channel,
    Contribution,
    Status,
    TitleTransfer,
)
from ramstein.services.ledger_view import Filters, totals, visible_contributions
from ramstein.store import audit
from ramstein.store import repositories as repo

router = APIRouter(prefix="/contributions", tags=["contributions"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such contribution, or not one the caller may see"}
}


def _visible(
    session: SessionDep, viewer: ViewerDep, contribution_id: str
) -> tuple[Contribution, int]:
    found = repo.get_contribution(session, contribution_id)
    if found is None or not can_see(viewer, found[0]):  # hidden rows do not exist
        raise HTTPException(status_code=404, detail=f"contributions[{contribution_id}]: not found")
    return found


def _etag(version: int) -> str:
    return f'"{version}"'


@router.get("", response_model=ContributionPage)
def list_contributions(
    session: SessionDep,
    viewer: ViewerDep,
    donor: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
    category: Category | None = None,
    status: Status | None = None,
    channel: Channel | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> ContributionPage:
    """The contributions the caller may see, filtered and paged."""
    filters = Filters(donor, category, status, channel, date_from, date_to)
    rows, total = visible_contributions(session, viewer, filters, limit=limit, offset=offset)
    return ContributionPage(
        items=[ContributionPublic.of(c, version) for c, version in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/totals", response_model=list[AggregatePublic])
def contribution_totals(
    session: SessionDep,
    viewer: ViewerDep,
    by: Literal["nation", "category", "month"] = "nation",
) -> list[AggregatePublic]:
    """Totals in EUR over the contributions the caller may see (and no others)."""
    return [
        AggregatePublic(key=a.key, total_eur=a.total_eur, contributions=a.contributions)
        for a in totals(session, viewer, by)
    ]


@router.post(
    "",
    status_code=201,
    response_model=ContributionPublic,
    responses={403: {"description": "Not the caller's nation"}, 409: {"description": "Exists"}},
)
def create_contribution(
    request: Request,
    body: ContributionCreate,
    session: SessionDep,
    viewer: ViewerDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Record a contribution (a nation only its own). A retried Idempotency-Key replays."""
    # The chain's lock before any check: a concurrent create of the same id (or retry of
    # the same key) waits for the winner's commit, then sees its row (409) or its answer.
    audit.lock(session)
    digest = idempotency.request_digest("POST", "/contributions", body.model_dump(mode="json"))
    replayed = idempotency.replay(session, idempotency_key, viewer, digest, request)
    if replayed is not None:
        return replayed
    require(viewer, Action.WRITE_CONTRIBUTION, body.donor)
    contribution = body.domain(repo.new_contribution_id(session, body.donor))
    repo.check_new_id(session, contribution, viewer)
    if repo.get_contribution(session, contribution.id) is not None:
        # Only the caller's own rows carry ids under its prefix: this tells it nothing new.
        raise HTTPException(status_code=409, detail=f"contributions[{contribution.id}].id: exists")
    repo.upsert_contribution(
        session, contribution, actor=viewer.name, reason="created via API", writer=viewer
    )
    found = repo.get_contribution(session, contribution.id)
    assert found is not None
    public = ContributionPublic.of(*found).model_dump(mode="json")
    idempotency.remember(session, idempotency_key, viewer, digest, 201, public)
    return JSONResponse(status_code=201, content=public, headers={"ETag": _etag(found[1])})


@router.get("/{contribution_id}", response_model=ContributionPublic, responses=NOT_FOUND)
def get_contribution(
    contribution_id: str, session: SessionDep, viewer: ViewerDep, response: Response
) -> ContributionPublic:
    """One contribution, with its version as the ETag."""
    contribution, version = _visible(session, viewer, contribution_id)
    response.headers["ETag"] = _etag(version)
    return ContributionPublic.of(contribution, version)


@router.patch(
    "/{contribution_id}",
    response_model=ContributionPublic,
    responses={
        **NOT_FOUND,
        403: {"description": "Not the caller's"},
        412: {"description": "Stale If-Match"},
    },
)
def patch_contribution(
    contribution_id: str,
    body: ContributionUpdate,
    session: SessionDep,
    viewer: ViewerDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ContributionPublic:
    """Change a contribution's facts; with If-Match, only if nobody changed it since."""
    contribution, _ = _visible(session, viewer, contribution_id)
    require(viewer, Action.WRITE_CONTRIBUTION, contribution.donor)
    expected = None
    if if_match is not None:
        try:
            expected = int(if_match.strip().removeprefix("W/").strip('"'))
        except ValueError:
            raise HTTPException(status_code=412, detail="If-Match: not a version") from None
    try:
        updated, version = repo.update_contribution(
            session,
            contribution_id,
            body.model_dump(exclude_unset=True),
            expected=expected,
            writer=viewer,
        )
    except repo.StaleVersion as stale:
        now = f"is at version {stale.current}" if stale.current else "changed meanwhile"
        raise HTTPException(status_code=412, detail=f"If-Match: the contribution {now}") from None
    response.headers["ETag"] = _etag(version)
    return ContributionPublic.of(updated, version)


@router.post(
    "/{contribution_id}/status",
    response_model=ContributionPublic,
    responses={**NOT_FOUND, 403: {"description": "Not the caller's"}},
)
def move_status(
    contribution_id: str, body: StatusChange, session: SessionDep, viewer: ViewerDep
) -> ContributionPublic:
    """Move a contribution along its lifecycle; the move is appended as an event."""
    contribution, _ = _visible(session, viewer, contribution_id)
    require(viewer, Action.WRITE_CONTRIBUTION, contribution.donor)
    title = None if body.place is None else TitleTransfer(body.on or date.today(), body.place)
    repo.change_status(
        session, contribution_id, body.status, actor=viewer.name, reason=body.reason, title=title
    )
    found = repo.get_contribution(session, contribution_id)
    assert found is not None
    return ContributionPublic.of(*found)
