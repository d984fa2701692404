"""Readiness runs, plan comparison and asks addressed to a donor."""

from __future__ import annotations

from datetime import date

from ramstein.domain.contributions import Visibility
from ramstein.domain.items import Offer
from ramstein.domain.plans import (
    ItemQuantity,
    MatchPlan,
    RequirementPlan,
    SolveStats,
    SolveStatus,
    Source,
)
from ramstein.plan.bom import asks_to
from ramstein.plan.compare import compare_match
from ramstein.plan.readiness import Cause, UnitReadiness, unit_runs

D1, D2 = date(2024, 9, 15), date(2024, 10, 1)


def test_units_with_one_date_and_cause_are_one_run() -> None:
    units = [UnitReadiness(k, D1, None, D1, Cause.EQUIPMENT) for k in range(1, 201)]
    units += [UnitReadiness(201, D1, D2, D2, Cause.TRAINING)]
    units += [UnitReadiness(202, D1, None, None, Cause.NOT_PLANNED, "training")]
    units += [UnitReadiness(203, D1, None, None, Cause.NOT_PLANNED, "training")]
    runs = unit_runs(units)
    assert [r.label for r in runs] == [
        "#1\u2013#200 2024-09-15, equipment",
        "#201 2024-10-01, training",
        "#202\u2013#203 not planned (training)",
    ]
    assert sum(r.units for r in runs) == len(units)
    assert unit_runs([]) == []


def _plan(*lines: RequirementPlan) -> MatchPlan:
    return MatchPlan(1.0, 1.0, True, lines, SolveStats("test", SolveStatus.OPTIMAL, 1, 1, 0))


OFFERS = [
    Offer("O-DEU", "DEU", "LAUNCHER", 4, None, Visibility.PUBLIC),
    Offer("O-USA", "USA", "RADAR", 1, None, Visibility.PUBLIC),
]


def test_compare_names_what_each_requirement_gained_or_lost() -> None:
    before = _plan(
        RequirementPlan("R1", 1, 2, (Source("O-USA", "RADAR", 1),), ()),
        RequirementPlan("R2", 2, 0, (Source("O-DEU", "LAUNCHER", 2),), ()),
    )
    after = _plan(
        RequirementPlan(
            "R1", 2, 1, (Source("O-USA", "RADAR", 1), Source("O-DEU", "LAUNCHER", 2)), ()
        ),
        RequirementPlan("R2", 1, 1, (Source("O-DEU", "LAUNCHER", 1),), ()),
        RequirementPlan("R3", 0, 3, (), ()),
    )
    changes = {c.requirement: c for c in compare_match(before, after, OFFERS)}
    assert (changes["R1"].change, changes["R1"].verdict) == (1, "gained")
    assert changes["R1"].donors_before == ("USA",) and changes["R1"].donors_after == ("DEU", "USA")
    assert (changes["R2"].change, changes["R2"].verdict) == (-1, "lost")
    assert (changes["R3"].before, changes["R3"].after, changes["R3"].verdict) == (0, 0, "unchanged")
    assert [c.requirement for c in compare_match(before, after, OFFERS)][-1] == "R3"


def test_asks_go_to_donors_who_offered_the_item_and_open_ones_to_all() -> None:
    lines = (
        RequirementPlan("R1", 0, 1, (), (ItemQuantity("LAUNCHER", 2), ItemQuantity("RADAR", 1))),
        RequirementPlan("R2", 0, 1, (), (ItemQuantity("COMMAND_POST", 1),)),
    )
    deu = asks_to(lines, OFFERS, "DEU")
    assert [(a.requirement, a.item, a.quantity, a.why) for a in deu] == [
        ("R1", "LAUNCHER", 2, "you offered LAUNCHER before"),
        ("R2", "COMMAND_POST", 1, "open to every donor"),
    ]
    assert [a.item for a in asks_to(lines, OFFERS, "USA")] == ["RADAR", "COMMAND_POST"]
    assert [a.item for a in asks_to(lines, OFFERS, "POL")] == ["COMMAND_POST"]
