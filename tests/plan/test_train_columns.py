"""Column generation and diving for training, against brute force and the exact model."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.training import Cohort, Session, TrainingInstance
from ramstein.plan import train_columns
from ramstein.plan.train import solve_train
from ramstein.plan.train_columns import as_ids, as_indices, course_arrays, dive, price
from ramstein.plan.train_greedy import by_course, candidates, greedy_choices, score_of
from ramstein.plan.train_highs import exact
from ramstein.plan.validate import validate_training

D0 = date(2025, 1, 1)


@st.composite
def knapsacks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(0, 8))
    sessions = draw(st.integers(1, 4))
    profit = np.array([draw(st.floats(-5, 20)) for _ in range(n)], dtype=np.float64)
    size = np.array([draw(st.integers(1, 12)) for _ in range(n)], dtype=np.int64)
    eligible = np.array(
        [[draw(st.booleans()) for _ in range(sessions)] for _ in range(n)], dtype=bool
    ).reshape(n, sessions)
    capacity = np.array([draw(st.integers(1, 25)) for _ in range(sessions)], dtype=np.int64)
    return profit, size, eligible, capacity


def best_subset(profit: np.ndarray, size: np.ndarray, items: list[int], capacity: int) -> float:
    best = 0.0
    for r in range(len(items) + 1):
        for subset in itertools.combinations(items, r):
            if sum(size[k] for k in subset) <= capacity:
                best = max(best, sum(profit[k] for k in subset))
    return best


@settings(max_examples=200, deadline=None)
@given(knapsacks(), st.booleans())
def test_pricing_finds_each_sessions_best_pattern(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], small_blocks: bool
) -> None:
    profit, size, eligible, capacity = case
    with pytest.MonkeyPatch.context() as patch:
        if small_blocks:  # one session per block: the blocked path gives the same answer
            patch.setattr(train_columns, "TABLE_CELLS", 1)
        values, patterns = price(profit, size, eligible, capacity)
    for j in range(len(capacity)):
        items = [k for k in range(len(profit)) if eligible[k, j]]
        # Profits under EPS are not worth a cohort: the best value is met to within that.
        near = len(items) * train_columns.EPS
        assert values[j] == pytest.approx(
            best_subset(profit, size, items, int(capacity[j])), abs=near
        )
        pattern = patterns[j]
        assert len(set(pattern)) == len(pattern)
        assert all(eligible[k, j] for k in pattern)
        assert sum(size[k] for k in pattern) <= capacity[j]
        assert sum(profit[k] for k in pattern) == pytest.approx(values[j], abs=near)


def one_course(seed: int, sessions: int, cohorts: int) -> TrainingInstance:
    """A single course shaped like the few-courses benchmark, small enough to solve exactly."""
    rng = random.Random(seed)
    made = []
    for k in range(sessions):
        weeks = rng.randint(1, 3)
        start = D0 + timedelta(weeks=rng.randint(0, 10 - weeks))
        made.append(
            Session(
                f"S{k}", "A", "DEU", "x", start, start + timedelta(weeks=weeks), rng.randint(8, 40)
            )
        )
    groups = []
    for k in range(cohorts):
        window = rng.randint(2, 8)
        available = D0 + timedelta(weeks=rng.randint(0, 10 - window))
        groups.append(
            Cohort(
                f"C{k}",
                "A",
                rng.randint(2, 20),
                available,
                available + timedelta(weeks=window),
                float(rng.randint(1, 8)),
            )
        )
    return TrainingInstance(tuple(made), tuple(groups))


@pytest.mark.parametrize("seed", range(8))
def test_dive_bound_holds_and_its_plan_is_close_to_the_exact_optimum(seed: int) -> None:
    instance = one_course(seed, sessions=6, cohorts=30)
    pairs = candidates(instance)
    start = greedy_choices(instance, pairs)
    optimum_plan, stats = exact(instance, pairs, start, time_limit=None)
    optimum = score_of(instance, optimum_plan)
    assert stats.status == "optimal"
    course = course_arrays(instance, pairs)
    dived = dive(course, as_indices(course, start))
    assert dived.finished
    chosen = as_ids(course, dived.chosen)
    sizes = {c.id: c.size for c in instance.cohorts}
    for s in instance.sessions:
        assert sum(sizes[c] for c, sid in chosen.items() if sid == s.id) <= s.capacity
    assert all(any(s.id == chosen[c] for s in pairs[c]) for c in chosen)
    # The configuration LP's bound is at least the optimum; the dive's plan at most it.
    assert dived.bound >= optimum - 1e-6
    assert score_of(instance, chosen) <= optimum
    assert score_of(instance, chosen) >= 0.9 * optimum


@pytest.mark.parametrize("seed", range(4))
def test_planner_reaches_the_exact_optimum_on_small_courses(seed: int) -> None:
    instance = one_course(100 + seed, sessions=8, cohorts=40)
    pairs = candidates(instance)
    optimum_plan, _ = exact(instance, pairs, greedy_choices(instance, pairs), time_limit=None)
    plan = solve_train(instance)
    assert validate_training(instance, plan) == []
    assert plan.optimal
    assert plan.score == pytest.approx(score_of(instance, optimum_plan))


def test_every_course_is_a_part() -> None:
    instance = one_course(1, sessions=3, cohorts=5)
    assert by_course(instance) == [instance]
