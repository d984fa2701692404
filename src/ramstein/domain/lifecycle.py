"""Lifecycles: which status moves a contribution may make (forward, or cancelled), and a
consignment's status from its tracking events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ramstein.domain.contributions import COUNTED_STATUSES, Status, TitleTransfer
from ramstein.domain.errors import InputError
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts

FORWARD = (
    Status.ANNOUNCED,
    Status.COMMITTED,
    Status.CONTRACTED,
    Status.SHIPPED,
    Status.DELIVERED,
)
FINAL = frozenset({Status.DELIVERED, Status.CANCELLED})


def check_amount(status: Status, amount: float | None, *, field: str) -> None:
    """Hard: a contracted, shipped or delivered contribution has an amount, since it counts."""
    if status in COUNTED_STATUSES and amount is None:
        raise InputError(f"{field}.amount", f"required when status is {status.value}")


def check_transition(current: Status, target: Status, *, field: str) -> None:
    """Hard: statuses only move forward, or to cancelled, and never out of a final status."""
    if current in FINAL:
        raise InputError(f"{field}.status", f"is {current.value}, which is final")
    if target is Status.CANCELLED:
        return
    if FORWARD.index(target) <= FORWARD.index(current):
        raise InputError(
            f"{field}.status", f"cannot move from {current.value} back to {target.value}"
        )


def check_title(target: Status, title: TitleTransfer | None, *, field: str) -> None:
    """Hard: a move to delivered says when and where title passed; no other move does."""
    if target is Status.DELIVERED:
        if title is None or not title.place.strip():
            raise InputError(f"{field}.place", "required when status is delivered")
    elif title is not None:
        raise InputError(f"{field}.place", f"only a move to delivered has one, not {target.value}")


def is_behind(status: Status, stored: Status) -> bool:
    """Whether `status` is an earlier stage than `stored` (every stage is behind a final one)."""
    if stored in FINAL:
        return True
    return status in FORWARD and FORWARD.index(status) < FORWARD.index(stored)


class ConsignmentStatus(StrEnum):
    """Where a consignment is in its lifecycle, derived from its tracking events."""

    READY = "ready"  # every pallet still at its origin
    SHIPPED = "shipped"  # some pallets have left the origin; not all have arrived
    DELIVERED = "delivered"  # every pallet received, damaged or lost, and some received
    LOST = "lost"  # every pallet damaged or lost, none received


FINAL_PALLET_STATES = frozenset({"received", "damaged", "lost"})


@dataclass(frozen=True)
class ConsignmentLifecycle:
    """A consignment's status; once delivered, the day and place of its last receipt."""

    consignment: str
    status: ConsignmentStatus
    delivered_on: date | None = None
    place: str = ""


def consignment_status(state: Whereabouts, events: list[TrackingEvent]) -> ConsignmentLifecycle:
    """The consignment's status from where its pallets are and the events that put them there.

    Title passes on receipt: a consignment is delivered when no pallet is left at the origin,
    on the way or at a hub and at least one was received; its date and place are the last
    receipt's.
    """
    totals = state.summary()
    if totals.get("origin", 0) == state.pallets:
        return ConsignmentLifecycle(state.consignment, ConsignmentStatus.READY)
    if sum(totals.get(k, 0) for k in FINAL_PALLET_STATES) < state.pallets:
        return ConsignmentLifecycle(state.consignment, ConsignmentStatus.SHIPPED)
    receipts = [e for e in events if e.kind is EventKind.RECEIVED]
    if not receipts:
        return ConsignmentLifecycle(state.consignment, ConsignmentStatus.LOST)
    last = receipts[-1]
    return ConsignmentLifecycle(
        state.consignment, ConsignmentStatus.DELIVERED, last.at.date(), last.place
    )
