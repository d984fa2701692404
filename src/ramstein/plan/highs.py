"""The HiGHS back-end (highspy), imported only when a model is solved.

Every HiGHS model status has a meaning here (as linopy's termination conditions do): the
limits (time, iterations, solutions, memory, an interrupt) keep the best point found and
the proven bound; errors and infeasibility keep neither.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ramstein.domain.plans import SolveStatus
from ramstein.plan.milp import INF, Milp, MilpSolution, ProgressCallback

# HighsModelStatus member name -> how the solve ended.
STATUS: dict[str, SolveStatus] = {
    "kOptimal": SolveStatus.OPTIMAL,
    "kModelEmpty": SolveStatus.OPTIMAL,
    "kInfeasible": SolveStatus.INFEASIBLE,
    "kUnbounded": SolveStatus.UNBOUNDED,
    "kUnboundedOrInfeasible": SolveStatus.INFEASIBLE_OR_UNBOUNDED,
    "kTimeLimit": SolveStatus.TIME_LIMIT,
    "kIterationLimit": SolveStatus.ITERATION_LIMIT,
    "kSolutionLimit": SolveStatus.SOLUTION_LIMIT,
    "kObjectiveBound": SolveStatus.OBJECTIVE_LIMIT,
    "kObjectiveTarget": SolveStatus.OBJECTIVE_LIMIT,
    "kInterrupt": SolveStatus.INTERRUPTED,
    "kHighsInterrupt": SolveStatus.INTERRUPTED,
    "kMemoryLimit": SolveStatus.MEMORY_LIMIT,
    "kModelError": SolveStatus.ERROR,
    "kLoadError": SolveStatus.ERROR,
    "kPresolveError": SolveStatus.ERROR,
    "kSolveError": SolveStatus.ERROR,
    "kPostsolveError": SolveStatus.ERROR,
    "kNotset": SolveStatus.UNKNOWN,
    "kUnknown": SolveStatus.UNKNOWN,
}

# Statuses after which a feasible point, if HiGHS has one, is the best found so far.
STOPPED = frozenset(
    {
        SolveStatus.TIME_LIMIT,
        SolveStatus.ITERATION_LIMIT,
        SolveStatus.SOLUTION_LIMIT,
        SolveStatus.OBJECTIVE_LIMIT,
        SolveStatus.INTERRUPTED,
        SolveStatus.MEMORY_LIMIT,
    }
)

Options = Mapping[str, bool | int | float | str]


def status_of(model_status: Any) -> SolveStatus:
    """The meaning of a HighsModelStatus (UNKNOWN for one this module has not heard of)."""
    return STATUS.get(getattr(model_status, "name", ""), SolveStatus.UNKNOWN)


def load(model: Milp, *, relax: bool = False) -> Any:
    """A silent `highspy.Highs` holding `model` (its integrality dropped with `relax`)."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    n, m = len(model.names), len(model.rows)
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize if model.sense == "max" else highspy.ObjSense.kMinimize
    lp.col_cost_ = np.array(model.cost, dtype=np.double)
    lp.col_lower_ = np.array(model.lower, dtype=np.double)
    lp.col_upper_ = np.minimum(np.array(model.upper, dtype=np.double), highspy.kHighsInf)
    lp.row_lower_ = np.maximum(np.array([r.lower for r in model.rows]), -highspy.kHighsInf)
    lp.row_upper_ = np.minimum(np.array([r.upper for r in model.rows]), highspy.kHighsInf)
    starts, index, value = [0], [], []
    for row in model.rows:
        index.extend(row.indices)
        value.extend(row.coefficients)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.double)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    if not relax and any(model.integer):
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in model.integer
        ]
    h.passModel(lp)
    return h


def solve_highs(
    model: Milp,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    threads: int | None = None,
    start: list[float] | None = None,
    options: Options | None = None,
    relax: bool = False,
) -> MilpSolution:
    """Solve `model` to proven optimality (zero gap), or until a limit stops HiGHS.

    `time_limit` counts from the call, loading the model included; with nothing left
    HiGHS is not started. `options` are passed to HiGHS as they are; with `relax` the
    linear relaxation is solved (its objective is then also its bound).
    """
    started = time.perf_counter()
    if time_limit is not None and time_limit <= 0:
        return MilpSolution(None, SolveStatus.TIME_LIMIT, 0.0, _no_bound(model), 0.0, "highs")
    h = load(model, relax=relax)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    if threads is not None:
        h.setOptionValue("threads", threads)
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    if start is not None:
        set_start(h, start)
    if on_progress is not None:
        report_progress(h, on_progress)
    left = None if time_limit is None else time_limit - (time.perf_counter() - started)
    run(h, left)
    return read_solution(h, model, time.perf_counter() - started, relaxed=relax)


def set_start(h: Any, values: list[float]) -> None:
    """Hand HiGHS a feasible point to start from."""
    import highspy

    initial = highspy.HighsSolution()
    initial.col_value = list(values)
    h.setSolution(initial)


def report_progress(h: Any, on_progress: ProgressCallback) -> None:
    """Call `on_progress(objective, bound)` on every better point the MIP search finds."""

    def report(event: Any) -> None:
        out = event.data_out
        on_progress(out.objective_function_value, out.mip_dual_bound)

    h.cbMipImprovingSolution.subscribe(report)


# Seconds past its own time limit after which HiGHS is interrupted from outside: its
# presolve and some heuristics do not look at the clock.
GRACE = 1.0


def run(h: Any, time_limit: float | None) -> None:
    """Run HiGHS for at most `time_limit` seconds (None: until it is done).

    HiGHS runs in a thread of its own (measured: its simplex is then about a third faster
    than called from Python's main thread). Its own time limit applies to each run; a
    watchdog interrupts a run that overstays it, and HiGHS then reports INTERRUPTED with
    the best point and bound it has.
    """
    if time_limit is not None:
        h.setOptionValue("time_limit", max(1e-3, time_limit))
    h.HandleUserInterrupt = True
    try:
        h.startSolve()
        done, _ = h.wait(-1.0 if time_limit is None else max(1e-3, time_limit) + GRACE)
        if not done:
            h.cancelSolve()
            h.wait()
    except KeyboardInterrupt:
        # Ctrl+C reaches this thread only: stop HiGHS's before passing it on.
        h.cancelSolve()
        h.wait()
        raise
    finally:
        h.HandleUserInterrupt = False


def read_solution(h: Any, model: Milp, seconds: float, *, relaxed: bool = False) -> MilpSolution:
    """What a finished HiGHS run reached: the point (if feasible), its status and bound."""
    kind = status_of(h.getModelStatus())
    info = h.getInfo()
    if h.getModelStatus().name == "kModelEmpty":
        return MilpSolution([0.0] * len(model.names), kind, 0.0, 0.0, seconds, "highs", model.names)
    has_point = info.primal_solution_status == 2 and kind in STOPPED | {SolveStatus.OPTIMAL}
    values = list(h.getSolution().col_value) if has_point else None
    objective = info.objective_function_value if has_point else 0.0
    if kind is SolveStatus.OPTIMAL:
        bound = objective
    elif relaxed or not any(model.integer):
        bound = _no_bound(model)  # an LP stopped early proves nothing about the optimum
    else:
        bound = info.mip_dual_bound
    return MilpSolution(values, kind, objective, bound, seconds, "highs", model.names)


def _no_bound(model: Milp) -> float:
    return INF if model.sense == "max" else -INF
