"""Readiness: never earlier than its equipment or its crew, and the binding cause named."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ramstein.domain.items import Component, Item, MatchInstance, Offer, Requirement
from ramstein.domain.training import Cohort, Course, Session, TrainingInstance
from ramstein.plan.match import solve_match
from ramstein.plan.readiness import Cause, readiness, unit_readiness

dates = st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 12, 31)))


@given(dates, dates, st.booleans())
def test_readiness_is_never_earlier_than_either_input(
    equipment: date | None, training: date | None, trained: bool
) -> None:
    unit = unit_readiness(1, equipment, training, trained)
    if unit.ready is None:
        assert unit.cause is Cause.NOT_PLANNED
        assert equipment is None or (trained and training is None)
        return
    assert equipment is not None and unit.ready >= equipment
    if trained:
        assert training is not None and unit.ready >= training
        assert unit.ready == max(equipment, training)
    expected = Cause.TRAINING if trained and training and training > equipment else Cause.EQUIPMENT
    assert unit.cause is expected


def test_pooled_unit_waits_for_its_last_component_and_whole_units_for_their_own() -> None:
    items = (
        Item("BAT", components=(Component("RAD", 1), Component("LCH", 2))),
        Item("RAD"),
        Item("LCH"),
    )
    offers = (
        Offer("whole", "USA", "BAT", 1),
        Offer("radar", "DEU", "RAD", 1),
        Offer("launchers", "NLD", "LCH", 2),
    )
    match = MatchInstance(items, (Requirement("R", "BAT", 3, 10),), offers)
    plan = solve_match(match)
    d = date(2025, 1, 1)
    arrivals = {"whole": d, "radar": d + timedelta(days=5), "launchers": d + timedelta(days=9)}
    training = TrainingInstance(
        (Session("S", "CREW", "DEU", "x", d, d + timedelta(days=7), 200),),
        (Cohort("c1", "CREW", 50, d, d + timedelta(days=90), 1, "R"),),
        (Course("CREW", crews=("BAT",)),),
    )
    (capability,) = readiness(match, plan, arrivals, training, {"c1": d + timedelta(days=7)})
    first, second = capability.units
    assert (first.equipment, first.training, first.ready, first.cause) == (
        d,
        d + timedelta(days=7),
        d + timedelta(days=7),
        Cause.TRAINING,
    )
    assert second.equipment == d + timedelta(days=9)
    assert second.cause is Cause.NOT_PLANNED and second.missing == "training"
    assert capability.last_ready is None
