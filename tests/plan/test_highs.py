"""The Milp model and its HiGHS back-end: names, every model status, limits that hold."""

from __future__ import annotations

import time

import highspy
import pytest

from ramstein.domain.plans import SolveStatus
from ramstein.plan.highs import GRACE, STATUS, load, read_solution, solve_highs, status_of
from ramstein.plan.milp import INF, Milp


def test_every_highs_model_status_has_a_meaning() -> None:
    members = highspy.HighsModelStatus.__members__
    assert set(members) == set(STATUS)
    for name, member in members.items():
        assert status_of(member) is STATUS[name]
    # Only HiGHS's own "not set" and "unknown" are unknown to the planners.
    unknown = {n for n, s in STATUS.items() if s is SolveStatus.UNKNOWN}
    assert unknown == {"kNotset", "kUnknown"}


def _knapsack(n: int = 60, rows: int = 25) -> Milp:
    """A multi-dimensional knapsack that HiGHS does not prove in a fraction of a second."""
    milp = Milp()
    cols = [milp.add_var(f"x[{i}]", cost=float(13 + (i * 37) % 41), upper=1.0) for i in range(n)]
    for r in range(rows):
        weights = {c: float(1 + (c * 7 + r * 11) % 29) for c in cols}
        milp.add_row(weights, upper=sum(weights.values()) / 2, name=f"cap[{r}]")
    return milp


def test_rows_and_columns_are_named_and_read_back_by_name() -> None:
    milp = Milp(sense="max")
    x = milp.add_var("x", cost=3.0, upper=4.0)
    y = milp.add_var("y", cost=2.0, upper=10.0)
    first = milp.add_row({x: 1.0, y: 1.0}, upper=6.0, name="total")
    milp.add_row({x: 1.0, y: -1.0}, lower=0.0)
    assert milp.row("total").upper == 6.0 and milp.rows[first].name == "total"
    assert milp.rows[1].name == "r1"
    assert milp.column("y") == y
    with pytest.raises(KeyError):
        milp.column("z")
    solution = solve_highs(milp)
    assert solution.status is SolveStatus.OPTIMAL
    assert solution.value("x") == pytest.approx(4.0) and solution.value("y") == pytest.approx(2.0)
    assert solution.by_name() == pytest.approx({"x": 4.0, "y": 2.0})
    assert solution.objective == pytest.approx(16.0) == solution.bound


def test_infeasible_and_unbounded_models_give_no_point() -> None:
    infeasible = Milp()
    x = infeasible.add_var("x", cost=1.0)
    infeasible.add_row({x: 1.0}, lower=2.0, upper=1.0)
    result = solve_highs(infeasible)
    assert result.status is SolveStatus.INFEASIBLE and result.values is None

    unbounded = Milp()
    unbounded.add_var("x", cost=1.0, integer=False)
    result = solve_highs(unbounded, options={"presolve": "off"})
    assert result.status is SolveStatus.UNBOUNDED and result.values is None
    result = solve_highs(unbounded)  # presolve cannot tell which of the two
    assert result.status in (SolveStatus.UNBOUNDED, SolveStatus.INFEASIBLE_OR_UNBOUNDED)


def test_limits_keep_the_best_point_and_the_bound() -> None:
    milp = _knapsack()
    stopped = solve_highs(milp, options={"mip_max_improving_sols": 1})
    assert stopped.status is SolveStatus.SOLUTION_LIMIT
    assert stopped.values is not None and stopped.bound >= stopped.objective > 0

    relaxed = solve_highs(milp, relax=True, options={"simplex_iteration_limit": 1})
    assert relaxed.status is SolveStatus.ITERATION_LIMIT
    assert relaxed.bound == INF  # an unfinished relaxation proves nothing

    timed = solve_highs(milp, time_limit=0.3)
    assert timed.status in (SolveStatus.TIME_LIMIT, SolveStatus.OPTIMAL)
    assert timed.values is not None and timed.bound >= timed.objective

    nothing = solve_highs(milp, time_limit=0.0)
    assert nothing.status is SolveStatus.TIME_LIMIT and nothing.values is None
    assert nothing.bound == INF


def test_an_interrupted_run_reports_an_interrupt() -> None:
    h = load(_knapsack(120, 40))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.HandleUserInterrupt = True
    h.startSolve()
    time.sleep(0.2)
    h.cancelSolve()
    h.wait()
    result = read_solution(h, _knapsack(120, 40), 0.2)
    assert result.status in (SolveStatus.INTERRUPTED, SolveStatus.OPTIMAL)
    assert result.status is SolveStatus.INTERRUPTED or result.bound == result.objective


def test_the_time_limit_counts_loading_and_holds() -> None:
    started = time.perf_counter()
    result = solve_highs(_knapsack(150, 60), time_limit=1.0)
    # Generous for a shared machine: HiGHS's limit plus the watchdog's grace plus jitter.
    assert time.perf_counter() - started < 1.0 + GRACE + 2.0
    assert result.status in (SolveStatus.TIME_LIMIT, SolveStatus.INTERRUPTED)
    assert result.values is not None
