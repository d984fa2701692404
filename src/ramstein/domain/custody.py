"""Custody of sensitive items: serial numbers checked at dispatch, at each hub and at receipt.

A consignment's tracking events of a sensitive item list the serial numbers of the units
they move. From them every serial's last known place follows, and two kinds of
discrepancy: a serial dispatched towards a checkpoint that did not arrive there once
nothing more is on its way (`missing`), and a serial checked where it was never sent
(`unexpected`). Definitions: docs/methodology.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ramstein.domain.errors import InputError
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts
from ramstein.domain.types import check_id

# The events at which a sensitive item's serials are checked: custody changes hands.
CHECKPOINTS = frozenset(
    {EventKind.DISPATCHED, EventKind.ARRIVED_HUB, EventKind.HANDED_OVER, EventKind.RECEIVED}
)
ARRIVALS = frozenset({EventKind.ARRIVED_HUB, EventKind.RECEIVED})


class SerialState(StrEnum):
    """Where a serial was last seen, by the event that last listed it."""

    IN_TRANSIT = "in_transit"
    AT_HUB = "at_hub"
    HANDED_OVER = "handed_over"
    RECEIVED = "received"
    DAMAGED = "damaged"
    LOST = "lost"


_STATE = {
    EventKind.DISPATCHED: SerialState.IN_TRANSIT,
    EventKind.ARRIVED_HUB: SerialState.AT_HUB,
    EventKind.HANDED_OVER: SerialState.HANDED_OVER,
    EventKind.RECEIVED: SerialState.RECEIVED,
    EventKind.DAMAGED: SerialState.DAMAGED,
    EventKind.LOST: SerialState.LOST,
}


class DiscrepancyKind(StrEnum):
    """What is wrong with a serial at a checkpoint."""

    MISSING = "missing"  # sent towards the checkpoint, not there once nothing more is coming
    UNEXPECTED = "unexpected"  # checked at a place it was never sent to


@dataclass(frozen=True)
class SerialCustody:
    """A serial's last known place: the event that last listed it, and when."""

    serial: str
    item: str
    consignment: str
    state: SerialState
    place: str
    at: datetime
    to: str = ""
    missing: bool = False


@dataclass(frozen=True)
class SerialDiscrepancy:
    """A serial missing at, or unexpected at, a checkpoint of a consignment."""

    serial: str
    item: str
    consignment: str
    kind: DiscrepancyKind
    checkpoint: str
    last_place: str


def check_serials(event: TrackingEvent, item: str, sensitive: bool) -> None:
    """Hard: a sensitive item's checkpoints list the serials they check, each once and by
    the id rule; other items and other events carry none that are not lost or damaged."""
    field = f"events[{event.consignment}].serials"
    if not sensitive:
        if event.serials:
            raise InputError(field, f"{item} is not marked sensitive: no serials are kept")
        return
    if event.kind in CHECKPOINTS and not event.serials:
        raise InputError(
            field, f"{item} is sensitive: a {event.kind.value} event lists the serials checked"
        )
    if len(set(event.serials)) != len(event.serials):
        raise InputError(field, "a serial is listed twice")
    for serial in event.serials:
        check_id(serial, field)


def custody(
    item: str, state: Whereabouts, events: list[TrackingEvent]
) -> tuple[list[SerialCustody], list[SerialDiscrepancy]]:
    """Every serial of one consignment with its last known place, and the discrepancies.

    `state` is where the consignment's pallets are after `events`: a checkpoint still
    awaiting pallets (some in transit to it, or handed over and not yet received) has no
    missing serials yet.
    """
    sent: dict[str, set[str]] = {}  # checkpoint -> serials sent towards it
    seen: dict[str, set[str]] = {}  # checkpoint -> serials checked in there
    handed: set[str] = set()
    last: dict[str, TrackingEvent] = {}
    odd: list[SerialDiscrepancy] = []
    for e in events:
        for serial in e.serials:
            prior = last.get(serial)
            if e.kind is EventKind.DISPATCHED:
                if e.place != state.origin and serial not in seen.get(e.place, set()):
                    odd.append(_odd(serial, item, e, prior, DiscrepancyKind.UNEXPECTED))
                sent.setdefault(e.to, set()).add(serial)
            elif e.kind in ARRIVALS:
                expected = sent.get(e.place, set())
                if e.kind is EventKind.RECEIVED:
                    expected = expected | handed
                if serial not in expected:
                    odd.append(_odd(serial, item, e, prior, DiscrepancyKind.UNEXPECTED))
                seen.setdefault(e.place, set()).add(serial)
            elif e.kind is EventKind.HANDED_OVER:
                handed.add(serial)
            last[serial] = e
    missing: list[tuple[str, str]] = []  # (serial, the checkpoint it did not reach)
    for checkpoint, serials in sorted(sent.items()):
        if state.counts.get(("transit", checkpoint), 0):
            continue
        missing += [
            (serial, checkpoint) for serial in sorted(serials - seen.get(checkpoint, set()))
        ]
    if not any(kind == "handed_over" for kind, _ in state.counts):
        received = {s for e in events if e.kind is EventKind.RECEIVED for s in e.serials}
        missing += [(serial, state.destination) for serial in sorted(handed - received)]
    # A serial reported lost or damaged is accounted for, not missing.
    gone = (EventKind.LOST, EventKind.DAMAGED)
    missing = [(s, c) for s, c in missing if last[s].kind not in gone]
    lost = {serial for serial, _ in missing}
    rows = [
        SerialCustody(
            serial,
            item,
            state.consignment,
            _STATE[e.kind],
            e.place,
            e.at,
            e.to,
            # Not seen since it was sent on towards a checkpoint it never reached.
            serial in lost and e.kind in (EventKind.DISPATCHED, EventKind.HANDED_OVER),
        )
        for serial, e in sorted(last.items())
    ]
    for serial, checkpoint in missing:
        odd.append(
            SerialDiscrepancy(
                serial,
                item,
                state.consignment,
                DiscrepancyKind.MISSING,
                checkpoint,
                last[serial].place,
            )
        )
    return rows, odd


def _odd(
    serial: str,
    item: str,
    event: TrackingEvent,
    prior: TrackingEvent | None,
    kind: DiscrepancyKind,
) -> SerialDiscrepancy:
    return SerialDiscrepancy(
        serial, item, event.consignment, kind, event.place, prior.place if prior else ""
    )
