"""Tracking never loses or duplicates a pallet, whatever sequence of events arrives."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from ramstein.domain.errors import InputError
from ramstein.domain.tracking import EventKind, TrackingEvent, Whereabouts

PLACES = ["DEPOT", "HUB_A", "HUB_B", "DEST"]
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def fresh() -> Whereabouts:
    return Whereabouts("K", 20, "DEPOT", "DEST", frozenset({"HUB_A", "HUB_B"}))


def event(kind: EventKind, pallets: int, place: str, minutes: int, to: str = "") -> TrackingEvent:
    return TrackingEvent("K", kind, pallets, place, T0 + timedelta(minutes=minutes), "t", to)


def test_a_normal_journey() -> None:
    state = fresh()
    state.apply(event(EventKind.DISPATCHED, 20, "DEPOT", 1, to="HUB_A"))
    state.apply(event(EventKind.ARRIVED_HUB, 19, "HUB_A", 2))
    state.apply(event(EventKind.LOST, 1, "HUB_A", 3))
    state.apply(event(EventKind.DISPATCHED, 18, "HUB_A", 4, to="DEST"))
    state.apply(event(EventKind.RECEIVED, 17, "DEST", 5))
    state.apply(event(EventKind.DAMAGED, 1, "DEST", 6))
    assert state.summary() == {"transit": 1, "lost": 1, "received": 17, "damaged": 1}


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([(EventKind.RECEIVED, 1, "DEST", 1, "")], "received 1 pallets at DEST, but only 0"),
        (
            [(EventKind.DISPATCHED, 5, "DEPOT", 1, "DEST"), (EventKind.RECEIVED, 6, "DEST", 2, "")],
            "received 6 pallets at DEST, but only 5",
        ),
        (
            [
                (EventKind.DISPATCHED, 5, "DEPOT", 2, "HUB_A"),
                (EventKind.ARRIVED_HUB, 5, "HUB_A", 1, ""),
            ],
            "is before the last event",
        ),
        ([(EventKind.ARRIVED_HUB, 1, "DEST", 1, "")], "'DEST' is not a hub"),
        ([(EventKind.DISPATCHED, 1, "DEPOT", 1, "")], "a dispatch needs a next node"),
        ([(EventKind.DISPATCHED, 0, "DEPOT", 1, "HUB_A")], "must be a positive integer"),
    ],
)
def test_impossible_events_are_refused_and_change_nothing(
    events: list[tuple[EventKind, int, str, int, str]], message: str
) -> None:
    state = fresh()
    *good, bad = events
    for kind, n, place, minute, to in good:
        state.apply(event(kind, n, place, minute, to))
    before = Counter(state.counts)
    kind, n, place, minute, to = bad
    with pytest.raises(InputError, match=message):
        state.apply(event(kind, n, place, minute, to))
    assert state.counts == before


class Pallets(RuleBasedStateMachine):
    """Random events, valid or not: the pallets always add up and never go negative."""

    def __init__(self) -> None:
        super().__init__()
        self.state = fresh()
        self.minute = 0

    @rule(
        kind=st.sampled_from(list(EventKind)),
        pallets=st.integers(-1, 25),
        place=st.sampled_from(PLACES),
        to=st.sampled_from(["", *PLACES]),
        back=st.booleans(),
    )
    def happen(self, kind: EventKind, pallets: int, place: str, to: str, back: bool) -> None:
        self.minute += -1 if back else 1
        before = Counter(self.state.counts)
        try:
            self.state.apply(event(kind, pallets, place, self.minute, to))
        except InputError:
            assert self.state.counts == before
        else:
            moved = sum(
                abs(self.state.counts[s] - before[s]) for s in set(before) | set(self.state.counts)
            )
            assert moved in (0, 2 * pallets)

    @invariant()
    def every_pallet_is_somewhere_once(self) -> None:
        assert sum(self.state.counts.values()) == 20
        assert all(n > 0 for n in self.state.counts.values())


TestPallets = Pallets.TestCase
TestPallets.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
