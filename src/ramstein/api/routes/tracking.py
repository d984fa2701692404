"""`/api/v1/consignments` and `/api/v1/cohorts`: tracking, receipts and training cohorts.

The recipient's liaison and the coordination staff record; the same two read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from ramstein.api.deps import CohortWriter, PlanReader, SessionDep, TrackingWriter
from ramstein.api.schemas import (
    CohortCreate,
    CohortPublic,
    ReceiptCreate,
    TrackingEventCreate,
    TrackingEventPublic,
    WhereaboutsPublic,
)
from ramstein.domain.tracking import Receipt, TrackingEvent, Whereabouts
from ramstein.domain.training import Cohort
from ramstein.services import tracking
from ramstein.store import logistics
from ramstein.store.training import stored_training, upsert_cohort

consignments = APIRouter(prefix="/consignments", tags=["tracking"])
cohorts = APIRouter(prefix="/cohorts", tags=["training"])

UNKNOWN: dict[int | str, dict[str, Any]] = {
    422: {"description": "Unknown consignment, node or course, or an impossible move"}
}
WRITERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not the recipient's liaison or a coordinator"}
}


def _public(session: SessionDep, state: Whereabouts) -> WhereaboutsPublic:
    return WhereaboutsPublic(
        consignment=state.consignment,
        pallets=state.pallets,
        origin=state.origin,
        destination=state.destination,
        summary=state.summary(),
        events=[
            TrackingEventPublic.model_validate(e)
            for e in logistics.events_of(session, state.consignment)
        ],
    )


@consignments.get("/{consignment}", response_model=WhereaboutsPublic, responses=UNKNOWN)
def whereabouts(consignment: str, session: SessionDep, viewer: PlanReader) -> WhereaboutsPublic:
    """Where a consignment's pallets are, and its tracking history."""
    return _public(session, logistics.whereabouts(session, consignment))


@consignments.post(
    "/{consignment}/events",
    status_code=201,
    response_model=WhereaboutsPublic,
    responses={**UNKNOWN, **WRITERS},
)
def record_event(
    consignment: str, body: TrackingEventCreate, session: SessionDep, viewer: TrackingWriter
) -> WhereaboutsPublic:
    """Record a tracking event (dispatched, arrived at a hub, handed over, received,
    damaged, lost); refused if the pallets cannot be where it says."""
    at = body.at or datetime.now(UTC)
    event = TrackingEvent(
        consignment,
        body.kind,
        body.pallets,
        body.place,
        at if at.tzinfo else at.replace(tzinfo=UTC),
        viewer.name,
        body.to,
        body.note,
    )
    return _public(session, tracking.record(session, event))


@consignments.post(
    "/{consignment}/receipt",
    status_code=201,
    response_model=WhereaboutsPublic,
    responses={**UNKNOWN, **WRITERS},
)
def confirm_receipt(
    consignment: str, body: ReceiptCreate, session: SessionDep, viewer: TrackingWriter
) -> WhereaboutsPublic:
    """Confirm what arrived at the destination: pallets received, damaged and lost, with a
    note; the discrepancies and readiness follow from the events it records."""
    receipt = Receipt(consignment, body.received, body.damaged, body.lost, body.note)
    return _public(session, tracking.confirm_receipt(session, receipt, actor=viewer.name))


@cohorts.get("", response_model=list[CohortPublic])
def list_cohorts(session: SessionDep, viewer: PlanReader) -> list[CohortPublic]:
    """The recipient's cohorts to train."""
    return [CohortPublic.model_validate(c) for c in stored_training(session).cohorts]


@cohorts.post("", status_code=201, response_model=CohortPublic, responses={**UNKNOWN, **WRITERS})
def write_cohort(body: CohortCreate, session: SessionDep, viewer: CohortWriter) -> CohortPublic:
    """Add or update a cohort (the recipient's liaison or a coordinator)."""
    upsert_cohort(
        session,
        Cohort(
            body.id,
            body.course,
            body.size,
            body.available_from,
            body.needed_by,
            body.priority,
            body.requirement,
        ),
    )
    return CohortPublic(**body.model_dump())
