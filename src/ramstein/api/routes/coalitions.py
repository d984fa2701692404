"""`/api/v1/coalitions` and `/api/v1/custody`: capability coalitions as each caller sees
them, their leads and roadmaps; the custody of sensitive items and consignment deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from ramstein.api.deps import SessionDep, ViewerDep, allowed, require
from ramstein.api.schemas import _Body
from ramstein.domain.access import Action, Viewer
from ramstein.domain.coalitions import RoadmapTarget
from ramstein.domain.errors import InputError
from ramstein.domain.types import ISO3, Id, Text
from ramstein.io.coalition_json import coalition_summary
from ramstein.io.custody_json import custody_document, deliveries_document
from ramstein.services import coalitions, custody
from ramstein.store import coalitions as coalition_store

router = APIRouter(prefix="/coalitions", tags=["coalitions"])
custody_router = APIRouter(prefix="/custody", tags=["custody"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such coalition"}}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TargetPublic(_Out):
    """A roadmap target: units of an item by the end of a year."""

    item: str
    year: int
    quantity: int
    illustrative: bool
    source: str


class CoalitionPublic(_Out):
    """A capability coalition: its leads and roadmap."""

    id: str
    name: str
    leads: list[str]
    note: str
    targets: list[TargetPublic]


class CoalitionOffer(_Out):
    """An offer under the coalition that the caller may see."""

    id: str
    donor: str
    item: str
    quantity: int
    available_from: str | None
    visibility: str


class ProgressPublic(_Out):
    """A roadmap target against the units offered for it by the end of its year."""

    item: str
    year: int
    target: int
    offered: int
    share: float
    illustrative: bool


class CoveragePublic(_Out):
    """A coalition requirement against the units offered for it (before pooling)."""

    requirement: str
    item: str
    priority: float
    required: int
    offered: int
    covered: int


class CoalitionView(CoalitionPublic):
    """`ramstein.coalition/1`: the coalition as the caller sees it; `lead` says whether the
    caller leads it; `coverage` is null for callers who may not read requirements."""

    format: str
    lead: bool
    offers: list[CoalitionOffer]
    progress: list[ProgressPublic]
    coverage: list[CoveragePublic] | None


class LeadCreate(_Body):
    """A nation to lead the coalition."""

    nation: ISO3


class TargetCreate(_Body):
    """A roadmap target to add or replace (by item and year)."""

    item: Id
    year: Annotated[int, Field(ge=1000, le=9999)]
    quantity: Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
    illustrative: bool = False
    source: Text = ""


def _view(session: SessionDep, viewer: ViewerDep, coalition_id: str) -> dict[str, Any]:
    _known(session, coalition_id)
    seen = coalitions.view(session, viewer, coalition_id)
    return seen.document()


@router.get("", response_model=list[CoalitionPublic])
def list_coalitions(session: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """Every capability coalition with its leads and roadmap targets (public)."""
    return [coalition_summary(c) for c in coalition_store.list_coalitions(session)]


@router.get("/{coalition_id}", response_model=CoalitionView, responses=NOT_FOUND)
def get_coalition(coalition_id: str, session: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """A coalition as the caller sees it: its offers, progress against its roadmap, and the
    coverage of its requirements, all from the offers the caller may see (a lead also sees
    the offers their donors shared with the coalition)."""
    return _view(session, viewer, coalition_id)


@router.post(
    "/{coalition_id}/leads",
    status_code=201,
    response_model=CoalitionPublic,
    responses={**NOT_FOUND, 403: {"description": "Not a coordinator"}},
)
def add_lead(
    coalition_id: str, body: LeadCreate, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Make a nation a lead of the coalition (coordinators)."""
    return _change(
        session,
        viewer,
        coalition_id,
        lambda: coalition_store.add_lead(session, coalition_id, body.nation),
    )


@router.delete(
    "/{coalition_id}/leads/{nation}",
    response_model=CoalitionPublic,
    responses={**NOT_FOUND, 403: {"description": "Not a coordinator"}},
)
def remove_lead(
    coalition_id: str, nation: str, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """A nation no longer leads the coalition (coordinators)."""
    return _change(
        session,
        viewer,
        coalition_id,
        lambda: coalition_store.remove_lead(session, coalition_id, nation),
    )


@router.put(
    "/{coalition_id}/targets",
    response_model=CoalitionPublic,
    responses={**NOT_FOUND, 403: {"description": "Not a coordinator"}},
)
def set_target(
    coalition_id: str, body: TargetCreate, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Add or replace a roadmap target (coordinators)."""
    return _change(
        session,
        viewer,
        coalition_id,
        lambda: coalition_store.set_target(
            session,
            coalition_id,
            RoadmapTarget(body.item, body.year, body.quantity, body.illustrative, body.source),
        ),
    )


def _change(
    session: SessionDep, viewer: Viewer, coalition_id: str, change: Callable[[], object]
) -> dict[str, Any]:
    """A coordinator's change to a known coalition (403, then 404, before anything is
    written), answered with the coalition as it stands after it."""
    require(viewer, Action.WRITE_COALITIONS)
    _known(session, coalition_id)
    change()
    return coalition_summary(coalition_store.get_coalition(session, coalition_id))


def _known(session: SessionDep, coalition_id: str) -> None:
    """404 for an unknown coalition (a path names it; a body never does)."""
    try:
        coalition_store.get_coalition(session, coalition_id)
    except InputError:
        detail = f"coalitions[{coalition_id}]: no such coalition"
        raise HTTPException(status_code=404, detail=detail) from None


class SerialPublic(_Out):
    """A serial's last known place."""

    serial: str
    item: str
    consignment: str
    state: str
    place: str
    to: str | None
    at: str
    missing: bool


class DiscrepancyPublic(_Out):
    """A serial missing at, or unexpected at, a checkpoint."""

    serial: str
    item: str
    consignment: str
    kind: str
    checkpoint: str
    last_place: str | None


class CustodyPublic(_Out):
    """`ramstein.custody/1`: every serial of a sensitive item and the discrepancies."""

    format: str
    sensitive_items: list[str]
    serials: list[SerialPublic]
    discrepancies: list[DiscrepancyPublic]


class DeliveryPublic(_Out):
    """A consignment's lifecycle status; a delivered one with the day and place."""

    id: str
    status: str
    delivered_on: str | None
    place: str | None


class DeliveriesPublic(_Out):
    """`ramstein.deliveries/1`."""

    format: str
    consignments: list[DeliveryPublic]


CustodyReader = allowed(Action.READ_CUSTODY)


@custody_router.get(
    "",
    response_model=CustodyPublic,
    responses={403: {"description": "Not a coordinator or the recipient"}},
    dependencies=[CustodyReader],
)
def custody_report(session: SessionDep, consignment: Id | None = None) -> dict[str, Any]:
    """Every serial of a sensitive item with its last known place, and the discrepancies
    (missing at a checkpoint, or checked where it was never sent)."""
    found = custody.report(session, consignment=consignment)
    return custody_document(found.sensitive_items, found.serials, found.discrepancies)


@custody_router.get(
    "/deliveries",
    response_model=DeliveriesPublic,
    responses={403: {"description": "Not a coordinator or the recipient"}},
    dependencies=[CustodyReader],
)
def deliveries(session: SessionDep) -> dict[str, Any]:
    """Each consignment's status: ready, shipped, delivered (day and place), lost."""
    return deliveries_document(custody.lifecycles(session))
