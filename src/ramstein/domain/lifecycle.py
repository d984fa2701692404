"""Which status moves a contribution may make: forward through the lifecycle, or cancelled."""

from __future__ import annotations

from ramstein.domain.contributions import COUNTED_STATUSES, Status
from ramstein.domain.errors import InputError

FORWARD = (Status.ANNOUNCED, Status.COMMITTED, Status.CONTRACTED, Status.DELIVERED)
FINAL = frozenset({Status.DELIVERED, Status.CANCELLED})


def check_amount(status: Status, amount: float | None, *, field: str) -> None:
    """Hard: a contracted or delivered contribution has an amount, since it counts."""
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


def is_behind(status: Status, stored: Status) -> bool:
    """Whether `status` is an earlier stage than `stored` (every stage is behind a final one)."""
    if stored in FINAL:
        return True
    return status in FORWARD and FORWARD.index(status) < FORWARD.index(stored)
