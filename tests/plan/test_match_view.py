"""A match plan read by a viewer who may not see every offer it draws on."""

from __future__ import annotations

import math

from ramstein.domain.items import Component, Item, MatchInstance, Offer, Requirement
from ramstein.domain.plans import ItemQuantity
from ramstein.plan.bom import Bom
from ramstein.plan.match import solve_match
from ramstein.plan.match_view import seen_through

# A system of one launcher and two missiles; Ukraine needs two systems and three missiles.
ITEMS = (
    Item("SYS", "system", (Component("LAUNCHER", 1), Component("MISSILE", 2))),
    Item("LAUNCHER"),
    Item("MISSILE"),
)
NEEDS = (Requirement("R1", "SYS", 2, 10.0), Requirement("R2", "MISSILE", 3, 1.0))
DEU = Offer("DEU-1", "DEU", "LAUNCHER", 3)
FRA = Offer("FRA-1", "FRA", "MISSILE", 4)  # hidden from the viewer below
POL = Offer("POL-1", "POL", "MISSILE", 1)
REQUIREMENTS = {r.id: r for r in NEEDS}
PLAN = solve_match(MatchInstance(ITEMS, NEEDS, (DEU, FRA, POL)))


def _lines(seen: list[Offer]) -> dict[str, tuple[int, int, list[str], list[ItemQuantity]]]:
    plan = seen_through(PLAN, seen, REQUIREMENTS, Bom(ITEMS))
    return {
        r.id: (
            r.delivered,
            r.shortfall,
            sorted(s.offer for s in r.sources),
            list(r.missing_for_next_unit),
        )
        for r in plan.requirements
    }


def test_the_full_plan_draws_on_the_hidden_offer() -> None:
    full = {r.id: (r.delivered, sorted(s.offer for s in r.sources)) for r in PLAN.requirements}
    assert full == {"R1": (2, ["DEU-1", "FRA-1"]), "R2": (1, ["POL-1"])}


def test_a_hidden_offer_is_dropped_and_units_and_asks_recounted() -> None:
    lines = _lines([DEU, POL])
    # R1's missiles all came from France: seen without them, no system is complete, and
    # one more needs two missiles (the launchers are there).
    assert lines["R1"] == (0, 2, ["DEU-1"], [ItemQuantity("MISSILE", 2)])
    # R2 drew only on Poland; its ask counts only what seen offers have left (nothing).
    assert lines["R2"] == (1, 2, ["POL-1"], [ItemQuantity("MISSILE", 1)])


def test_leftovers_of_seen_offers_shrink_the_ask() -> None:
    more = Offer("DEU-2", "DEU", "MISSILE", 1)  # seen, and not drawn by the plan
    lines = _lines([DEU, POL, more])
    assert lines["R1"][3] == [ItemQuantity("MISSILE", 1)]


def test_the_viewer_copy_carries_its_own_score_and_no_bound() -> None:
    seen = seen_through(PLAN, [DEU, POL], REQUIREMENTS, Bom(ITEMS))
    assert seen.score == 1.0  # R2's one missile at priority 1
    assert math.isnan(seen.bound) and not seen.optimal
    every = seen_through(PLAN, [DEU, FRA, POL], REQUIREMENTS, Bom(ITEMS))
    assert [r.delivered for r in every.requirements] == [2, 1] and every.score == PLAN.score


def test_requirements_the_viewer_does_not_know_are_left_out() -> None:
    seen = seen_through(PLAN, [DEU, FRA, POL], {"R2": REQUIREMENTS["R2"]}, Bom(ITEMS))
    assert [r.id for r in seen.requirements] == ["R2"]
