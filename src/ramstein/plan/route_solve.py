"""Solving a route model: its linear relaxation first, rounded within its support.

The time-expanded flow's relaxation is usually integral (every generated network so far:
M, L, XL), and then it is the integer optimum at a fraction of branch-and-bound's cost.
When it is not, the integer model restricted to the relaxation's support (plus every
undelivered, escape and delivery column, so that it is always feasible) gives a plan, and
the relaxation's objective its bound; only if a gap remains does the whole integer model
get the time that is left, starting from that plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from ramstein.domain.plans import SolveStatus
from ramstein.plan.highs import load, read_solution, report_progress, run, set_start
from ramstein.plan.milp import INF, Milp, MilpSolution, ProgressCallback, Row
from ramstein.plan.route_model import RouteModel

EPSILON = 1e-6  # a value this close to an integer is that integer


def integral(values: list[float]) -> bool:
    """Whether every value is an integer (within EPSILON)."""
    return all(abs(v - round(v)) <= EPSILON for v in values)


def proven(objective: float, bound: float) -> bool:
    """Whether `bound` proves `objective` optimal (to a relative 1e-9)."""
    return objective - bound <= 1e-9 * max(1.0, abs(objective))


@dataclass
class Relaxation:
    """A route model's linear relaxation, loaded in HiGHS and kept for a warm re-solve."""

    model: RouteModel
    highs: Any
    solution: MilpSolution


def relax(model: RouteModel, time_limit: float | None) -> Relaxation:
    """Solve the relaxation (dual simplex) within `time_limit`, loading included."""
    started = time.perf_counter()
    h = load(model.milp, relax=True)
    run(h, None if time_limit is None else time_limit - (time.perf_counter() - started))
    solution = read_solution(h, model.milp, time.perf_counter() - started, relaxed=True)
    return Relaxation(model, h, solution)


def round_in_support(
    milp: Milp, values: list[float], keep: set[int], time_limit: float | None
) -> MilpSolution:
    """The integer model with every column off the point's support fixed at 0 (but `keep`)."""
    upper = [
        u if (v > EPSILON or i in keep) else 0.0
        for i, (u, v) in enumerate(zip(milp.upper, values, strict=True))
    ]
    return _solve_mip(replace(milp, upper=upper), time_limit)


def free_columns(model: RouteModel) -> set[int]:
    """Columns a rounding keeps open: undelivered, escape and delivery columns."""
    return {*model.undelivered.values(), *model.escaped.values(), *model.deliveries}


def _solve_mip(
    milp: Milp,
    time_limit: float | None,
    start: list[float] | None = None,
    on_progress: ProgressCallback | None = None,
) -> MilpSolution:
    started = time.perf_counter()
    h = load(milp)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    if start is not None:
        set_start(h, start)
    if on_progress is not None:
        report_progress(h, on_progress)
    run(h, None if time_limit is None else time_limit - (time.perf_counter() - started))
    return read_solution(h, milp, time.perf_counter() - started)


def solve_model(
    model: RouteModel,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[MilpSolution, Relaxation]:
    """The model's best integer point within `time_limit` and the bound proved for it.

    Relaxation, then rounding within its support, then (with a gap and time left) the
    whole integer model from the rounded point. Returns the relaxation too, for a warm
    second pass.
    """
    started = time.perf_counter()

    def left() -> float | None:
        return None if time_limit is None else time_limit - (time.perf_counter() - started)

    relaxation = relax(model, left())
    lp = relaxation.solution
    if lp.values is None or lp.status is not SolveStatus.OPTIMAL:
        return replace(lp, values=None, bound=-INF), relaxation
    best = replace(lp, status=SolveStatus.OPTIMAL)
    if not integral(lp.values):
        rounded = round_in_support(model.milp, lp.values, free_columns(model), left())
        if rounded.values is None:
            return replace(lp, values=None, status=rounded.status), relaxation
        best = replace(rounded, bound=lp.objective)
        if not proven(best.objective, best.bound):
            best = replace(best, status=SolveStatus.TIME_LIMIT)
            remaining = left()
            if remaining is None or remaining > 0:
                whole = _solve_mip(model.milp, remaining, rounded.values, on_progress)
                best = _better(best, whole)
    if on_progress is not None:
        on_progress(best.objective, best.bound)
    return replace(best, seconds=time.perf_counter() - started), relaxation


def _better(first: MilpSolution, second: MilpSolution) -> MilpSolution:
    """The better point of two solves of one model, with the stronger bound of the two."""
    bound = max(first.bound, second.bound)
    best = first
    if second.values is not None and second.objective < first.objective:
        best = second
    status = SolveStatus.OPTIMAL if proven(best.objective, bound) else best.status
    return replace(best, bound=bound, status=status)


def earliest_among_optimal(
    relaxation: Relaxation, first: MilpSolution, time_limit: float | None
) -> MilpSolution | None:
    """Among points of `first`'s (optimal) cost, one with the least total delivery time.

    A warm re-solve of the relaxation with the cost held and arrival periods as the
    objective; rounded within its support if it is not integral. None when no better
    point was found in time.
    """
    started = time.perf_counter()
    model, h = relaxation.model, relaxation.highs
    milp = model.milp
    assert first.values is not None
    slack = 1e-9 * max(1.0, abs(first.objective))
    n = len(milp.names)
    _hold_cost(h, milp, first.objective + slack)
    arrival = [0.0] * n
    for col, key in model.deliveries.items():
        arrival[col] = float(key.arrive)
    _change_costs(h, arrival)
    _fix_at_zero(h, list(model.escaped.values()))
    run(h, None if time_limit is None else time_limit - (time.perf_counter() - started))
    second = read_solution(h, milp, time.perf_counter() - started, relaxed=True)
    if second.values is None or second.status is not SolveStatus.OPTIMAL:
        return None
    if integral(second.values):
        return replace(first, values=second.values)
    escapes = set(model.escaped.values())
    held = replace(
        milp,
        cost=arrival,
        rows=[*milp.rows, Row(list(range(n)), list(milp.cost), -INF, first.objective + slack, "")],
        upper=[0.0 if c in escapes else u for c, u in enumerate(milp.upper)],
    )
    left = None if time_limit is None else time_limit - (time.perf_counter() - started)
    rounded = round_in_support(held, second.values, free_columns(model), left)
    if rounded.values is None:
        return None
    return replace(first, values=rounded.values)


def _hold_cost(h: Any, milp: Milp, most: float) -> None:
    import numpy as np

    columns = np.array([i for i, c in enumerate(milp.cost) if c], dtype=np.int32)
    costs = np.array([milp.cost[i] for i in columns], dtype=np.double)
    h.addRow(-h.getInfinity(), most, len(columns), columns, costs)


def _change_costs(h: Any, cost: list[float]) -> None:
    import numpy as np

    n = len(cost)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(cost, dtype=np.double))


def _fix_at_zero(h: Any, columns: list[int]) -> None:
    import numpy as np

    if columns:
        zeros = np.zeros(len(columns), dtype=np.double)
        h.changeColsBounds(len(columns), np.array(columns, dtype=np.int32), zeros, zeros)
