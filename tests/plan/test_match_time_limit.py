"""The match planner's time limit holds on a large instance, model building included."""

from __future__ import annotations

import time

from bench.match import SIZES, generate

from ramstein.plan.limits import margin
from ramstein.plan.match import greedy_match, solve_match
from ramstein.plan.validate import validate_match


def test_a_large_instance_returns_within_its_limit_with_a_plan_and_a_bound() -> None:
    # L: 5,000 requirements, 20,000 offers; HiGHS does not prove it in one second.
    instance = generate(SIZES["L"], 5)
    greedy = greedy_match(instance)
    limit = 1.0
    started = time.perf_counter()
    plan = solve_match(instance, time_limit=limit)
    elapsed = time.perf_counter() - started
    # The guarantee is the limit plus margin(limit); 5 s more for a shared, loaded machine.
    assert elapsed <= limit + margin(limit) + 5.0, elapsed
    assert validate_match(instance, plan) == []
    assert greedy.score <= plan.score <= plan.bound
