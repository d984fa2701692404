"""The route planner's pieces at scale, each against the whole integer model on small networks.

Windows with escapes, the relaxation rounded within its support, the repair of pallets
left behind, and time limits that hold (model building included) on a large network.
"""

from __future__ import annotations

import time

import pytest
from bench.route import SIZES, generate
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstein.domain.logistics import LogisticsInstance
from ramstein.domain.plans import RoutePlan, SolveStatus
from ramstein.plan.highs import solve_highs
from ramstein.plan.limits import margin
from ramstein.plan.milp import Milp
from ramstein.plan.route import (
    Clock,
    outcome,
    plan_flows,
    read_back,
    repair,
    second_pass,
    solve_route,
    trivial_bound,
)
from ramstein.plan.route_model import Network, build_model, first_windows, groups_of
from ramstein.plan.route_solve import free_columns, integral, round_in_support, solve_model
from ramstein.plan.validate import validate_route
from tests.plan.test_route import networks


def _exact(instance: LogisticsInstance) -> float:
    """The whole model's optimum, by HiGHS's branch and bound."""
    solution = solve_highs(build_model(instance, Network(instance)).milp)
    assert solution.status is SolveStatus.OPTIMAL
    return solution.objective


def _satisfies(milp: Milp, values: list[float]) -> bool:
    for row in milp.rows:
        total = sum(c * values[i] for i, c in zip(row.indices, row.coefficients, strict=True))
        if not row.lower - 1e-6 <= total <= row.upper + 1e-6:
            return False
    return all(
        lo - 1e-6 <= v <= up + 1e-6
        for lo, v, up in zip(milp.lower, values, milp.upper, strict=True)
    )


@settings(max_examples=60, deadline=None)
@given(networks())
def test_the_planner_reaches_the_whole_models_optimum(instance: LogisticsInstance) -> None:
    plan = solve_route(instance)
    assert validate_route(instance, plan) == []
    assert plan.optimal
    assert plan.objective == pytest.approx(_exact(instance), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_a_model_over_windows_is_a_relaxation_exact_when_nothing_escapes(
    instance: LogisticsInstance, data: st.DataObject
) -> None:
    network = Network(instance)
    groups = groups_of(instance)
    last = [data.draw(st.integers(g.ready, instance.horizon - 1)) for g in groups]
    model = build_model(instance, network, last)
    windowed = solve_highs(model.milp)
    assert windowed.status is SolveStatus.OPTIMAL and windowed.values is not None
    exact = _exact(instance)
    assert windowed.objective <= exact + 1e-6
    if all(windowed.values[col] < 0.5 for col in model.escaped.values()):
        assert windowed.objective == pytest.approx(exact, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_the_rounded_relaxation_is_feasible_and_bounds_the_optimum(
    instance: LogisticsInstance,
) -> None:
    model = build_model(instance, Network(instance))
    solution, relaxation = solve_model(model)
    lp = relaxation.solution
    assert solution.values is not None and lp.values is not None
    assert integral(solution.values) and _satisfies(model.milp, solution.values)
    exact = _exact(instance)
    assert solution.bound <= exact + 1e-6 <= solution.objective + 2e-6
    if solution.status is SolveStatus.OPTIMAL:
        assert solution.objective == pytest.approx(exact, abs=1e-6)
    # Rounding within the support, on its own, always gives a feasible integer point.
    rounded = round_in_support(model.milp, lp.values, free_columns(model), None)
    assert rounded.values is not None and integral(rounded.values)
    assert _satisfies(model.milp, rounded.values)
    assert rounded.objective >= lp.objective - 1e-6


@settings(max_examples=40, deadline=None)
@given(networks())
def test_repair_sends_pallets_left_behind_only_where_it_pays(instance: LogisticsInstance) -> None:
    plan = solve_route(instance)
    network = Network(instance)
    # Drop the first consignment's movements: the repair sends what capacity allows.
    first = instance.consignments[0].id
    kept = [m for m in plan.movements if m.consignment != first]
    repaired = repair(instance, network, kept)
    before, after = outcome(instance, kept), outcome(instance, repaired)
    assert validate_route(instance, after) == []
    assert plan.objective - 1e-6 <= after.objective <= before.objective + 1e-6
    assert trivial_bound(instance, network) <= plan.objective + 1e-6


def test_the_first_windows_leave_slack_past_the_due_dates() -> None:
    instance = generate(SIZES["S"], 7)
    network = Network(instance)
    groups = groups_of(instance)
    for group, end in zip(groups, first_windows(instance, network, groups), strict=True):
        due = max(c.due for c in group.members)
        assert min(instance.horizon - 1, due) <= end <= instance.horizon - 1


def test_the_second_pass_is_skipped_with_a_note_when_no_time_is_left() -> None:
    instance = generate(SIZES["S"], 5)
    network = Network(instance)
    flows = plan_flows(instance, network, Clock(None), 0.0)
    assert flows is not None
    kept, note = second_pass(flows, 0.0)
    assert kept is flows.solution and "skipped" in note
    earlier, note = second_pass(flows, None)
    assert note == "" and earlier.values is not None and flows.solution.values is not None
    # Same cost, no later: the second pass only reorders arrivals among optimal plans.
    plans = [
        outcome(instance, read_back(instance, flows.model, s.values))
        for s in (flows.solution, earlier)
    ]
    assert plans[1].objective == pytest.approx(plans[0].objective)

    def total_arrival(plan: RoutePlan) -> float:
        by_id = {c.id: c for c in instance.consignments}
        return sum(
            m.arrive * m.pallets * by_id[m.consignment].priority
            for m in plan.movements
            if m.target == by_id[m.consignment].destination
        )

    assert total_arrival(plans[1]) <= total_arrival(plans[0])


def test_no_time_at_all_returns_the_baseline_at_once_with_a_note_and_a_bound() -> None:
    instance = generate(SIZES["M"], 3)
    started = time.perf_counter()
    plan = solve_route(instance, time_limit=0.0)
    assert time.perf_counter() - started < margin(0.0) + 3.0
    assert validate_route(instance, plan) == []
    assert not plan.optimal and "baseline" in plan.stats.note
    assert 0 < plan.bound <= plan.objective


@pytest.mark.parametrize("limit", [3.0, 10.0])
def test_a_large_network_returns_within_its_limit(limit: float) -> None:
    # XL: 160 depots, 48 hubs, 32 destinations, 2,000 consignments (26,000 pallets).
    instance = generate(SIZES["XL"], 11)
    started = time.perf_counter()
    baseline = solve_route(instance, time_limit=0.0)
    # The baseline is fixed work: its time says how fast this machine runs right now.
    slowness = time.perf_counter() - started
    started = time.perf_counter()
    plan = solve_route(instance, time_limit=limit)
    elapsed = time.perf_counter() - started
    # The guarantee is the limit plus margin(limit) on an idle machine. On a shared, loaded
    # one the work around the solve (building, reading back) slows down as the baseline did:
    # 5 s more, and twice the baseline's time, so the test fails on a planner that ignores
    # its limit, never on a busy machine.
    assert elapsed <= limit + margin(limit) + 5.0 + 2 * slowness, (elapsed, slowness)
    assert validate_route(instance, plan) == []
    assert plan.bound <= plan.objective <= baseline.objective + 1e-6
