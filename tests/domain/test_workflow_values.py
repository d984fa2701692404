"""Pure rules of the workflow: Gantt lanes, receipts as tracking events, overdue lots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramstein.domain.errors import InputError
from ramstein.domain.procurement import Lot, LotStatus, lot_state
from ramstein.domain.tracking import EventKind, Receipt, TrackingEvent, Whereabouts, receipt_events
from ramstein.domain.training import Session, lanes

AT = datetime(2025, 3, 1, tzinfo=UTC)


@st.composite
def sessions(draw: st.DrawFn) -> list[Session]:
    count = draw(st.integers(0, 25))
    out = []
    for i in range(count):
        start = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 200)))
        end = start + timedelta(days=draw(st.integers(0, 60)))
        out.append(Session(f"S{i}", "C", "DEU", "site", start, end, 10))
    return out


@given(sessions())
def test_lanes_never_overlap_and_use_as_few_rows_as_the_busiest_day(
    given_sessions: list[Session],
) -> None:
    rows = lanes(given_sessions)
    assert sorted(s.id for row in rows for s in row) == sorted(s.id for s in given_sessions)
    for row in rows:
        for a, b in pairwise(row):
            assert a.end < b.start
    # Interval graphs: the greedy uses exactly as many lanes as the most sessions on one day.
    days = {
        d
        for s in given_sessions
        for d in range((s.end - s.start).days + 1)
        for d in [s.start + timedelta(days=d)]
    }
    busiest = max(
        (sum(1 for s in given_sessions if s.start <= d <= s.end) for d in days), default=0
    )
    assert len(rows) == busiest


def _state(events: list[TrackingEvent] = ()) -> Whereabouts:  # type: ignore[assignment]
    state = Whereabouts("K1", 10, "DEPOT", "DEST", frozenset({"HUB"}))
    for e in events:
        state.apply(e)
    return state


def _replay(events: list[TrackingEvent], more: list[TrackingEvent]) -> Whereabouts:
    state = _state(events)
    for e in more:
        state.apply(e)
    return state


def test_receipt_of_an_untracked_consignment_implies_its_dispatch() -> None:
    events = receipt_events(
        _state(), Receipt("K1", 7, damaged=1, note="crushed"), at=AT, actor="ukr"
    )
    assert [(e.kind, e.pallets, e.place, e.to) for e in events] == [
        (EventKind.DISPATCHED, 8, "DEPOT", "DEST"),
        (EventKind.RECEIVED, 7, "DEST", ""),
        (EventKind.DAMAGED, 1, "DEST", ""),
    ]
    assert "implied by the receipt" in events[0].note and events[2].note == "crushed"
    assert _replay([], events).summary() == {"origin": 2, "received": 7, "damaged": 1}


def test_receipt_takes_pallets_on_their_way_first_and_moves_those_at_a_hub() -> None:
    tracked = [
        TrackingEvent("K1", EventKind.DISPATCHED, 6, "DEPOT", AT, "c", "HUB"),
        TrackingEvent("K1", EventKind.ARRIVED_HUB, 4, "HUB", AT, "c"),
        TrackingEvent("K1", EventKind.DISPATCHED, 3, "HUB", AT, "c", "DEST"),
    ]
    state = _state(tracked)  # 3 on their way to DEST, 1 at HUB, 2 to HUB, 4 at DEPOT
    events = receipt_events(state, Receipt("K1", 5, lost=1), at=AT, actor="ukr")
    after = _replay(tracked, events)
    assert after.summary() == {"received": 5, "lost": 1, "origin": 4}
    # Nearest first: the pallets on their way to the hub arrive there and go on.
    assert [(e.kind, e.pallets, e.place) for e in events[:3]] == [
        (EventKind.ARRIVED_HUB, 2, "HUB"),
        (EventKind.DISPATCHED, 2, "HUB"),
        (EventKind.DISPATCHED, 1, "HUB"),
    ]


@pytest.mark.parametrize(
    ("receipt", "message"),
    [
        (Receipt("K1", 0), "receipts[K1].received: a receipt accounts for at least one pallet"),
        (Receipt("K1", -1, damaged=2), "receipts[K1].received: must be zero or more"),
        (Receipt("K1", 10, lost=1), "receipts[K1].received: 11 pallets confirmed, but only 10"),
    ],
)
def test_impossible_receipts_are_refused(receipt: Receipt, message: str) -> None:
    with pytest.raises(InputError) as refused:
        receipt_events(_state(), receipt, at=AT, actor="ukr")
    assert str(refused.value).startswith(message)


def test_a_planned_lot_past_its_date_is_overdue() -> None:
    lot = Lot("L1", 100, date(2026, 6, 30))
    assert lot.overdue(date(2026, 11, 30))
    assert not lot.overdue(date(2026, 6, 30))
    assert lot_state(LotStatus.PLANNED, lot.expected, date(2026, 11, 30)) == "overdue"
    assert lot_state(LotStatus.DELIVERED, lot.expected, date(2026, 11, 30)) == "delivered"
    assert not Lot("L1", 100, date(2026, 6, 30), LotStatus.COMPLETED).overdue(date(2027, 1, 1))
