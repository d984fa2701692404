"""The match planner: the format's example, properties against greedy and brute force."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.errors import InputError
from ramstein.domain.items import (
    Component,
    Item,
    MatchInstance,
    Offer,
    Requirement,
    topological_order,
)
from ramstein.io.match_json import parse_match, plan_document
from ramstein.plan.bom import Bom
from ramstein.plan.match import greedy_match, solve_match
from ramstein.plan.validate import validate_match

EXAMPLE = Path(__file__).parent / "match_example.json"


def test_the_format_example_scores_210_optimally() -> None:
    instance = parse_match(EXAMPLE.read_text())
    plan = solve_match(instance)
    assert validate_match(instance, plan) == []
    doc = plan_document(plan)
    assert (doc["score"], doc["bound"], doc["optimal"]) == (210, 210, True)
    r1, r2 = doc["requirements"]
    assert (r1["delivered"], r1["shortfall"]) == (2, 1)
    assert {(s["offer"], s["quantity"]) for s in r1["sources"]} == {
        ("O1", 1),
        ("O3", 1),
        ("O4", 1),
        ("O2", 4),
    }
    assert r1["missing_for_next_unit"] == [
        {"item": "PATRIOT_RADAR", "quantity": 1},
        {"item": "PATRIOT_ECS", "quantity": 1},
        {"item": "PATRIOT_LAUNCHER", "quantity": 4},
    ]
    assert r2 == {
        "id": "R2",
        "delivered": 2,
        "shortfall": 6,
        "sources": [{"offer": "O2", "item": "PATRIOT_LAUNCHER", "quantity": 2}],
        "missing_for_next_unit": [{"item": "PATRIOT_LAUNCHER", "quantity": 1}],
    }


def test_a_cycle_is_bad_input() -> None:
    items = (
        Item("A", components=(Component("B", 1),)),
        Item("B", components=(Component("C", 2),)),
        Item("C", components=(Component("A", 1),)),
    )
    with pytest.raises(InputError, match="cycle"):
        MatchInstance(items, (), ()).check()


def test_pooling_builds_a_unit_from_three_donors() -> None:
    items = (
        Item("BAT", components=(Component("RAD", 1), Component("LCH", 2))),
        Item("RAD"),
        Item("LCH"),
    )
    offers = (
        Offer("o1", "NLD", "LCH", 1),
        Offer("o2", "DEU", "LCH", 1),
        Offer("o3", "ROU", "RAD", 1),
    )
    instance = MatchInstance(items, (Requirement("r", "BAT", 1, 10),), offers)
    plan = solve_match(instance)
    assert validate_match(instance, plan) == []
    assert plan.requirements[0].delivered == 1
    assert {s.offer for s in plan.requirements[0].sources} == {"o1", "o2", "o3"}


def test_one_donor_covering_a_requirement_is_preferred_to_a_split() -> None:
    items = (Item("X"),)
    offers = (Offer("small", "AAA", "X", 2), Offer("big", "BBB", "X", 5))
    instance = MatchInstance(items, (Requirement("r", "X", 4, 1),), offers)
    plan = solve_match(instance)
    assert [s.offer for s in plan.requirements[0].sources] == ["big"]


def test_substitutes_count_towards_a_requirement() -> None:
    items = (Item("IRIS_T"), Item("NASAMS"))
    offers = (Offer("o1", "DEU", "IRIS_T", 1), Offer("o2", "NOR", "NASAMS", 2))
    requirement = Requirement("r", "IRIS_T", 3, 7, substitutes=("NASAMS",))
    instance = MatchInstance(items, (requirement,), offers)
    plan = solve_match(instance)
    assert plan.score == 21 and plan.optimal
    assert validate_match(instance, plan) == []


def test_a_time_limit_still_returns_a_plan_and_a_bound() -> None:
    instance = parse_match(EXAMPLE.read_text())
    plan = solve_match(instance, time_limit=0.001)
    assert validate_match(instance, plan) == []
    assert plan.bound >= plan.score


@st.composite
def instances(draw: st.DrawFn) -> MatchInstance:
    leaves = [f"L{i}" for i in range(draw(st.integers(1, 4)))]
    items = [Item(leaf) for leaf in leaves]
    for a in range(draw(st.integers(0, 3))):
        parts = draw(
            st.lists(st.sampled_from([i.id for i in items]), min_size=1, max_size=3, unique=True)
        )
        components = tuple(Component(p, draw(st.integers(1, 3))) for p in parts)
        items.append(Item(f"A{a}", components=components))
    ids = [i.id for i in items]
    requirements = tuple(
        Requirement(
            f"R{k}", draw(st.sampled_from(ids)), draw(st.integers(1, 3)), draw(st.integers(1, 20))
        )
        for k in range(draw(st.integers(1, 3)))
    )
    offers = tuple(
        Offer(
            f"O{k}",
            draw(st.sampled_from(["USA", "DEU", "NLD", "ROU"])),
            draw(st.sampled_from(ids)),
            draw(st.integers(1, 6)),
        )
        for k in range(draw(st.integers(0, 6)))
    )
    return MatchInstance(tuple(items), requirements, offers)


def brute_force(instance: MatchInstance) -> float:
    """The best score over every vector of delivered units."""
    bom = Bom(instance.items)
    order = topological_order(instance.items)
    counts: dict[str, int] = {}
    for o in instance.offers:
        counts[o.item] = counts.get(o.item, 0) + o.quantity
    best = 0.0
    for units in itertools.product(*(range(r.quantity + 1) for r in instance.requirements)):
        demand: dict[str, int] = {}
        for r, u in zip(instance.requirements, units, strict=True):
            demand[r.item] = demand.get(r.item, 0) + u
        if not bom.shortfall(counts, demand, order):
            best = max(
                best, sum(r.priority * u for r, u in zip(instance.requirements, units, strict=True))
            )
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_exact_plans_are_valid_never_below_greedy_and_match_brute_force(
    instance: MatchInstance,
) -> None:
    exact = solve_match(instance)
    greedy = greedy_match(instance)
    assert validate_match(instance, exact) == []
    assert validate_match(instance, greedy) == []
    assert exact.optimal
    assert exact.score >= greedy.score
    assert exact.score == pytest.approx(brute_force(instance))


@settings(max_examples=50, deadline=None)
@given(instances())
def test_the_validator_catches_an_overdrawn_offer(instance: MatchInstance) -> None:
    # One unit of the first requirement's own item on offer: an optimal plan draws something
    # (that unit, or what fills the requirement without it), so there is a source to overdraw.
    wanted = instance.requirements[0].item
    instance = replace(instance, offers=(*instance.offers, Offer("EXTRA", "USA", wanted, 1)))
    plan = solve_match(instance)
    drawn = [(r, s) for r in plan.requirements for s in r.sources]
    assert plan.optimal and drawn
    assert validate_match(instance, plan) == []

    line, source = drawn[0]
    bigger = replace(source, quantity=source.quantity + 1000)
    broken_line = replace(line, sources=(bigger, *line.sources[1:]))
    broken = replace(
        plan,
        requirements=tuple(broken_line if r is line else r for r in plan.requirements),
    )
    assert validate_match(instance, broken) != []


def test_example_file_is_the_format_example() -> None:
    doc = json.loads(EXAMPLE.read_text())
    assert doc["format"] == "ramstein.match/1"
