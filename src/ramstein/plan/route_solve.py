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
from ramstein.plan.milp import INF, Milp, MilpSolution, ProgressCallback
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


def relax(
    model: RouteModel, time_limit: float | None, warm: Relaxation | None = None
) -> Relaxation:
    """Solve the relaxation within `time_limit`, loading included.

    With `warm` (the relaxation of a model over narrower windows), HiGHS starts from its
    final basis, carried over by column and row name.
    """
    started = time.perf_counter()
    h = load(model.milp, relax=True)
    if warm is not None:
        carry_basis(warm, model, h)
    run(h, None if time_limit is None else time_limit - (time.perf_counter() - started))
    solution = read_solution(h, model.milp, time.perf_counter() - started, relaxed=True)
    return Relaxation(model, h, solution)


def carry_basis(warm: Relaxation, model: RouteModel, h: Any) -> None:
    """Start `h` from `warm`'s basis: its columns and rows by name, new ones as a crash would.

    New columns start at their lower bound and new rows with their slack basic, so the
    count of basic variables stays the number of rows.
    """
    import highspy

    old = warm.highs.getBasis()
    if not old.valid:
        return
    lower, basic = highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kBasic
    cols = {name: i for i, name in enumerate(warm.model.milp.names)}
    rows = {row.name: i for i, row in enumerate(warm.model.milp.rows)}
    old_cols, old_rows = list(old.col_status), list(old.row_status)
    basis = highspy.HighsBasis()
    basis.col_status = [
        old_cols[cols[name]] if name in cols else lower for name in model.milp.names
    ]
    basis.row_status = [
        old_rows[rows[row.name]] if row.name in rows else basic for row in model.milp.rows
    ]
    basis.valid = True
    h.setBasis(basis)


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
    warm: Relaxation | None = None,
) -> tuple[MilpSolution, Relaxation]:
    """The model's best integer point within `time_limit` and the bound proved for it.

    Relaxation, then rounding within its support, then (with a gap and time left) the
    whole integer model from the rounded point. Returns the relaxation too, for a warm
    second pass. `warm`: a relaxation of the model over narrower windows to start from.
    """
    started = time.perf_counter()

    def left() -> float | None:
        return None if time_limit is None else time_limit - (time.perf_counter() - started)

    relaxation = relax(model, left(), warm)
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
    """Among points of `first`'s (optimal) cost, one with the least priority-weighted arrivals.

    The relaxation's optimal face is where every optimal point lies: columns with a
    nonzero reduced cost stay at their bound and rows with a nonzero dual stay tight
    (complementary slackness holds for every optimal point with any optimal dual). A warm
    re-solve over that face with arrival periods as the objective is the second pass; it
    is kept only if it is integral and costs no more. None when nothing was found in time.
    """
    started = time.perf_counter()
    model, h = relaxation.model, relaxation.highs
    milp = model.milp
    assert first.values is not None
    _restrict_to_optimal_face(h, milp)
    # Arrival periods weighted by priority: among plans of equal cost, the most important
    # consignments arrive first (readiness dates follow from them).
    arrival = [0.0] * len(milp.names)
    for col, key in model.deliveries.items():
        arrival[col] = key.arrive * model.groups[key.group].members[key.member].priority
    _change_costs(h, arrival)
    _fix_at_zero(h, list(model.escaped.values()))
    run(h, None if time_limit is None else time_limit - (time.perf_counter() - started))
    second = read_solution(h, milp, time.perf_counter() - started, relaxed=True)
    if second.values is None or second.status is not SolveStatus.OPTIMAL:
        return None
    if not integral(second.values):
        return None
    values = [float(round(v)) for v in second.values]
    cost = sum(c * v for c, v in zip(milp.cost, values, strict=True) if c)
    if not proven(cost, first.objective):
        return None
    return replace(first, values=values)


def _restrict_to_optimal_face(h: Any, milp: Milp) -> None:
    import numpy as np

    solution = h.getSolution()
    reduced = np.array(solution.col_dual)
    lower = np.array(milp.lower, dtype=np.double)
    upper = np.minimum(np.array(milp.upper, dtype=np.double), h.getInfinity())
    tolerance = 1e-7
    at_lower = reduced > tolerance
    at_upper = reduced < -tolerance
    upper[at_lower] = lower[at_lower]
    lower[at_upper] = upper[at_upper]
    n = len(milp.names)
    h.changeColsBounds(n, np.arange(n, dtype=np.int32), lower, upper)
    duals = np.array(solution.row_dual)
    activity = np.array(solution.row_value)
    tight = np.flatnonzero(np.abs(duals) > tolerance).astype(np.int32)
    if len(tight):
        h.changeRowsBounds(len(tight), tight, activity[tight], activity[tight])


def _change_costs(h: Any, cost: list[float]) -> None:
    import numpy as np

    n = len(cost)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(cost, dtype=np.double))


def _fix_at_zero(h: Any, columns: list[int]) -> None:
    import numpy as np

    if columns:
        zeros = np.zeros(len(columns), dtype=np.double)
        h.changeColsBounds(len(columns), np.array(columns, dtype=np.int32), zeros, zeros)
