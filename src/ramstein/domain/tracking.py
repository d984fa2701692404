"""Where every pallet of a consignment is: events move pallets between states, never lose them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ramstein.domain.errors import InputError


class EventKind(StrEnum):
    """What happened to some pallets of a consignment."""

    DISPATCHED = "dispatched"
    ARRIVED_HUB = "arrived_hub"
    HANDED_OVER = "handed_over"
    RECEIVED = "received"
    DAMAGED = "damaged"
    LOST = "lost"


@dataclass(frozen=True)
class TrackingEvent:
    """`pallets` pallets of `consignment` had `kind` happen at `place` (towards `to`);
    `serials` are the serial numbers of a sensitive item's units checked there."""

    consignment: str
    kind: EventKind
    pallets: int
    place: str
    at: datetime
    actor: str
    to: str = ""
    note: str = ""
    serials: tuple[str, ...] = ()


# A pallet's state: ("origin", node), ("transit", next node), ("hub", hub),
# ("handed_over", place), ("received", place), ("damaged", place) or ("lost", place).
State = tuple[str, str]


@dataclass
class Whereabouts:
    """The pallets of one consignment by state; every pallet is in exactly one state."""

    consignment: str
    pallets: int
    origin: str
    destination: str
    hubs: frozenset[str]
    counts: Counter[State] = field(default_factory=Counter)
    last: datetime | None = None

    def __post_init__(self) -> None:
        if not self.counts:
            self.counts[("origin", self.origin)] = self.pallets

    def apply(self, event: TrackingEvent) -> None:
        """Move the event's pallets, or raise InputError and change nothing."""
        field_name = f"events[{self.consignment}]"
        if event.pallets <= 0:
            raise InputError(f"{field_name}.pallets", "must be a positive integer")
        if self.last is not None and event.at < self.last:
            raise InputError(
                f"{field_name}.at",
                f"{event.at.isoformat()} is before the last event ({self.last.isoformat()})",
            )
        sources, target = self._move(event)
        available = sum(self.counts[s] for s in sources)
        if available < event.pallets:
            where = " or ".join(f"{k} {p}" for k, p in sources) or "nowhere"
            raise InputError(
                f"{field_name}.pallets",
                f"{event.kind.value} {event.pallets} pallets at {event.place}, but only "
                f"{available} are {where}",
            )
        left = event.pallets
        for s in sources:
            take = min(left, self.counts[s])
            self.counts[s] -= take
            left -= take
        self.counts[target] += event.pallets
        self.counts = +self.counts
        self.last = event.at

    def _move(self, event: TrackingEvent) -> tuple[list[State], State]:
        place = event.place
        kind = event.kind
        if kind is EventKind.DISPATCHED:
            if not event.to:
                raise InputError(f"events[{self.consignment}].to", "a dispatch needs a next node")
            return [("origin", place), ("hub", place)], ("transit", event.to)
        if kind is EventKind.ARRIVED_HUB:
            if place not in self.hubs:
                raise InputError(f"events[{self.consignment}].place", f"{place!r} is not a hub")
            return [("transit", place)], ("hub", place)
        if kind is EventKind.HANDED_OVER:
            return [("transit", place), ("hub", place)], ("handed_over", place)
        if kind is EventKind.RECEIVED:
            return [
                ("transit", place),
                *(s for s in self.counts if s[0] == "handed_over"),
            ], ("received", place)
        # Damaged or lost: pallets at that place first, then those on their way to it.
        return [
            ("hub", place),
            ("origin", place),
            ("handed_over", place),
            ("transit", place),
        ], (kind.value, place)

    def summary(self) -> dict[str, int]:
        """Pallets per state kind (origin, transit, hub, handed_over, received, damaged, lost)."""
        totals: Counter[str] = Counter()
        for (kind, _), n in self.counts.items():
            totals[kind] += n
        return dict(totals)


@dataclass(frozen=True)
class Receipt:
    """The recipient's confirmation of what arrived of one consignment at its destination."""

    consignment: str
    received: int
    damaged: int = 0
    lost: int = 0
    note: str = ""

    @property
    def pallets(self) -> int:
        """The pallets the receipt accounts for."""
        return self.received + self.damaged + self.lost


FINAL_STATES = frozenset({"received", "damaged", "lost"})


def receipt_events(
    state: Whereabouts, receipt: Receipt, *, at: datetime, actor: str
) -> list[TrackingEvent]:
    """The tracking events a receipt records, in order; raises InputError for a receipt the
    consignment cannot give.

    Pallets on their way to the destination or handed over there are received as they are.
    Pallets whose journey was not tracked (still at their origin, at a hub, or on their way
    to a hub) are first moved there by the events the journey implies, each noted as taken
    from the receipt, so that the history replays under the usual rules.
    """
    field = f"receipts[{receipt.consignment}]"
    for name in ("received", "damaged", "lost"):
        if getattr(receipt, name) < 0:
            raise InputError(f"{field}.{name}", "must be zero or more")
    if receipt.pallets == 0:
        raise InputError(f"{field}.received", "a receipt accounts for at least one pallet")
    dest = state.destination
    open_states = {s: n for s, n in state.counts.items() if s[0] not in FINAL_STATES}
    if receipt.pallets > sum(open_states.values()):
        raise InputError(
            f"{field}.received",
            f"{receipt.pallets} pallets confirmed, but only {sum(open_states.values())} of "
            f"{state.pallets} are not yet received, damaged or lost",
        )
    implied = f"implied by the receipt of {receipt.consignment}"
    events: list[TrackingEvent] = []
    ready = sum(
        n for (kind, place), n in open_states.items() if place == dest or kind == "handed_over"
    )
    needed = receipt.pallets - ready
    # Untracked journeys, nearest first: on the way to a hub, at a hub, at the origin.
    for kind in ("transit", "hub", "origin"):
        for (k, place), n in sorted(open_states.items()):
            if needed <= 0 or k != kind or place == dest:
                continue
            take = min(n, needed)
            if k == "transit":
                events.append(
                    TrackingEvent(
                        state.consignment,
                        EventKind.ARRIVED_HUB,
                        take,
                        place,
                        at,
                        actor,
                        note=implied,
                    )
                )
            events.append(
                TrackingEvent(
                    state.consignment, EventKind.DISPATCHED, take, place, at, actor, dest, implied
                )
            )
            needed -= take
    for kind, count in (
        (EventKind.RECEIVED, receipt.received),
        (EventKind.DAMAGED, receipt.damaged),
        (EventKind.LOST, receipt.lost),
    ):
        if count:
            events.append(
                TrackingEvent(state.consignment, kind, count, dest, at, actor, note=receipt.note)
            )
    return events
