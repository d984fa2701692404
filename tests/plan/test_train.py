"""The training scheduler: the format's example, and properties against greedy and brute force."""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.training import Cohort, Session, TrainingInstance, fits
from ramstein.io.train_json import parse_training, plan_document
from ramstein.plan.limits import margin
from ramstein.plan.train import solve_train
from ramstein.plan.train_greedy import greedy_train
from ramstein.plan.validate import validate_training

EXAMPLE = Path(__file__).parent / "training_example.json"
D0 = date(2025, 1, 1)


@pytest.mark.parametrize("solver", ["cpsat", "highs"])
def test_the_format_example_scores_325_optimally(solver: str) -> None:
    instance = parse_training(EXAMPLE.read_text())
    plan = solve_train(instance, solver=solver)
    assert validate_training(instance, plan) == []
    assert plan_document(plan, instance) == {
        "format": "ramstein.training-plan/1",
        "score": 325,
        "bound": 325,
        "optimal": True,
        "assignments": [{"cohort": "C1", "session": "S1"}],
        "unassigned": [],
        "sessions": [{"id": "S1", "used": 65, "capacity": 90}],
    }


def test_reasons_for_cohorts_left_out() -> None:
    session = Session("S", "C", "DEU", "x", D0, D0 + timedelta(days=10), 10)
    instance = TrainingInstance(
        (session,),
        (
            Cohort("big", "C", 8, D0, D0 + timedelta(days=30), 5),
            Cohort("small", "C", 5, D0, D0 + timedelta(days=30), 1),
            Cohort("late", "C", 1, D0 + timedelta(days=1), D0 + timedelta(days=30), 9),
        ),
    )
    plan = solve_train(instance)
    assert validate_training(instance, plan) == []
    assert plan.assignments == (("big", "S"),)
    assert [(u.cohort, u.reason) for u in plan.unassigned] == [
        ("small", "capacity"),
        ("late", "no_session"),
    ]


def test_fractional_priorities_are_exact_on_highs() -> None:
    session = Session("S", "C", "DEU", "x", D0, D0 + timedelta(days=10), 10)
    instance = TrainingInstance(
        (session,),
        (
            Cohort("a", "C", 5, D0, D0 + timedelta(days=30), 1.0001),
            Cohort("b", "C", 5, D0, D0 + timedelta(days=30), 1.0002),
            Cohort("c", "C", 6, D0, D0 + timedelta(days=30), 1.0),
        ),
    )
    plan = solve_train(instance, solver="cpsat")  # falls back: CP-SAT would round them
    assert {c for c, _ in plan.assignments} == {"a", "b"}
    assert plan.optimal and plan.stats.solver == "highs"


@st.composite
def instances(draw: st.DrawFn) -> TrainingInstance:
    courses = ["A", "B"]
    sessions = tuple(
        Session(
            f"S{k}",
            draw(st.sampled_from(courses)),
            "DEU",
            "site",
            D0 + timedelta(days=(start := draw(st.integers(0, 20)))),
            D0 + timedelta(days=start + draw(st.integers(0, 15))),
            draw(st.integers(1, 20)),
        )
        for k in range(draw(st.integers(1, 4)))
    )
    cohorts = tuple(
        Cohort(
            f"C{k}",
            draw(st.sampled_from(sorted({s.course for s in sessions}))),
            draw(st.integers(1, 12)),
            D0 + timedelta(days=(a := draw(st.integers(0, 15)))),
            D0 + timedelta(days=a + draw(st.integers(0, 40))),
            float(draw(st.integers(1, 9))),
        )
        for k in range(draw(st.integers(1, 6)))
    )
    return TrainingInstance(sessions, cohorts)


def brute_force(instance: TrainingInstance) -> float:
    options = [[None, *(s for s in instance.sessions if fits(c, s))] for c in instance.cohorts]
    best = 0.0
    for choice in itertools.product(*options):
        used: dict[str, int] = {}
        for c, s in zip(instance.cohorts, choice, strict=True):
            if s is not None:
                used[s.id] = used.get(s.id, 0) + c.size
        if all(used[s.id] <= s.capacity for s in instance.sessions if s.id in used):
            score = sum(
                c.priority * c.size
                for c, s in zip(instance.cohorts, choice, strict=True)
                if s is not None
            )
            best = max(best, score)
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_plans_are_valid_optimal_and_never_below_greedy(instance: TrainingInstance) -> None:
    cpsat = solve_train(instance, solver="cpsat")
    highs = solve_train(instance, solver="highs")
    greedy = greedy_train(instance)
    for plan in (cpsat, highs, greedy):
        assert validate_training(instance, plan) == []
    assert cpsat.optimal and highs.optimal
    assert cpsat.score == highs.score == pytest.approx(brute_force(instance))
    assert cpsat.score >= greedy.score


@pytest.fixture(scope="module")
def few_large_courses() -> TrainingInstance:
    from bench.train import SIZES, generate

    return generate(SIZES["F10"], 7)  # 8 courses, 1,000 sessions, 10,000 cohorts


# Not a speed test: the documented margin (the larger of 5 % and 2 s), doubled for a loaded
# machine, over a limit far too short for this instance.
def _allowed(limit: float) -> float:
    return limit + 2 * margin(limit)


@pytest.mark.parametrize("solver", ["highs", "cpsat"])
def test_a_short_limit_holds_on_a_large_instance(
    few_large_courses: TrainingInstance, solver: str
) -> None:
    started = time.perf_counter()
    plan = solve_train(few_large_courses, time_limit=4.0, solver=solver)
    assert time.perf_counter() - started <= _allowed(4.0)
    assert validate_training(few_large_courses, plan) == []
    assert not plan.optimal and plan.bound > plan.score
    assert plan.score >= greedy_train(few_large_courses).score
    if solver == "highs":
        assert plan.stats.note  # what was cut short is said


def test_no_time_at_all_gives_the_greedy_plan_and_a_bound(
    few_large_courses: TrainingInstance,
) -> None:
    started = time.perf_counter()
    plan = solve_train(few_large_courses, time_limit=0.0)
    assert time.perf_counter() - started <= _allowed(0.0)
    assert validate_training(few_large_courses, plan) == []
    assert plan.score == greedy_train(few_large_courses).score
    assert plan.bound >= plan.score
    assert "no time left" in plan.stats.note
