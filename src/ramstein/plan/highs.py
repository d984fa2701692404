"""The HiGHS back-end (highspy), imported only when a model is solved."""

from __future__ import annotations

import time
from typing import Any

from ramstein.domain.plans import SolveStatus
from ramstein.plan.milp import INF, Milp, MilpSolution, ProgressCallback


def solve_highs(
    model: Milp,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    threads: int | None = None,
    start: list[float] | None = None,
) -> MilpSolution:
    """Solve `model` to proven optimality (zero gap), or to the time limit."""
    import highspy
    import numpy as np

    started = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        h.setOptionValue("threads", threads)

    lp = highspy.HighsLp()
    n = len(model.names)
    lp.num_col_ = n
    lp.num_row_ = len(model.rows)
    lp.sense_ = highspy.ObjSense.kMaximize if model.sense == "max" else highspy.ObjSense.kMinimize
    lp.col_cost_ = np.array(model.cost, dtype=np.double)
    lp.col_lower_ = np.array(model.lower, dtype=np.double)
    lp.col_upper_ = np.array([min(u, highspy.kHighsInf) for u in model.upper], dtype=np.double)
    lp.row_lower_ = np.array(
        [-highspy.kHighsInf if r[2] == -INF else r[2] for r in model.rows], dtype=np.double
    )
    lp.row_upper_ = np.array(
        [highspy.kHighsInf if r[3] == INF else r[3] for r in model.rows], dtype=np.double
    )
    starts, index, value = [0], [], []
    for indices, coefficients, _, _ in model.rows:
        index.extend(indices)
        value.extend(coefficients)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.double)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(model.rows)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
        for i in model.integer
    ]
    h.passModel(lp)
    if start is not None:
        initial = highspy.HighsSolution()
        initial.col_value = list(start)
        h.setSolution(initial)

    if on_progress is not None:

        def report(event: Any) -> None:
            out = event.data_out
            on_progress(out.objective_function_value, out.mip_dual_bound)

        h.cbMipImprovingSolution.subscribe(report)

    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    seconds = time.perf_counter() - started
    if status == highspy.HighsModelStatus.kModelEmpty:
        return MilpSolution([], SolveStatus.OPTIMAL, 0.0, 0.0, seconds, "highs")
    has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kOptimal:
        kind = SolveStatus.OPTIMAL
    elif status == highspy.HighsModelStatus.kInfeasible:
        kind = SolveStatus.INFEASIBLE
    else:
        kind = SolveStatus.TIME_LIMIT
    values = list(h.getSolution().col_value) if has_point else None
    objective = info.objective_function_value if has_point else 0.0
    bound = info.mip_dual_bound if kind is not SolveStatus.OPTIMAL else objective
    return MilpSolution(values, kind, objective, bound, seconds, "highs")
