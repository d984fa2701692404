"""The training model on OR-Tools CP-SAT, imported only when a plan is made."""

from __future__ import annotations

import os
import time
from typing import Any

from ramstein.domain.plans import SolveStats, SolveStatus
from ramstein.domain.training import TrainingInstance
from ramstein.plan.milp import ProgressCallback

# CP-SAT's objective is integral: priorities are scaled by this (exact to 1/1000).
SCALE = 1000


def exact_on_cpsat(instance: TrainingInstance) -> bool:
    """Whether every priority is a multiple of 1/SCALE, so CP-SAT's optimum is exact."""
    return all(abs(c.priority * SCALE - round(c.priority * SCALE)) < 1e-9 for c in instance.cohorts)


def solve_with_cpsat(
    instance: TrainingInstance,
    pairs: dict[str, list[Any]],
    start: dict[str, str],
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[dict[str, str], SolveStats]:
    """Maximise priority x size placed; each cohort in one fitting session, seats respected."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    model = cp_model.CpModel()
    cohorts = {c.id: c for c in instance.cohorts}
    x: dict[tuple[str, str], Any] = {}
    seats: dict[str, list[tuple[int, Any]]] = {s.id: [] for s in instance.sessions}
    objective = []
    for cid, sessions in pairs.items():
        if not sessions:
            continue
        c = cohorts[cid]
        options = []
        for s in sessions:
            var = model.new_bool_var(f"x[{cid},{s.id}]")
            x[(cid, s.id)] = var
            options.append(var)
            seats[s.id].append((c.size, var))
            model.add_hint(var, start.get(cid) == s.id)
        model.add_at_most_one(options)
        objective.append((round(c.priority * SCALE) * c.size, options))
    capacity = {s.id: s.capacity for s in instance.sessions}
    for sid, terms in seats.items():
        if terms and sum(size for size, _ in terms) > capacity[sid]:
            model.add(sum(size * var for size, var in terms) <= capacity[sid])
    model.maximize(sum(weight * var for weight, options in objective for var in options))

    solver = cp_model.CpSolver()
    # The full portfolio (LP-based bound workers included) proves far tighter bounds than
    # one worker per core, even when its eight workers share two cores.
    solver.parameters.num_workers = max(8, os.cpu_count() or 1)
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = float(time_limit)

    callback = None
    if on_progress is not None:
        report = on_progress

        class Report(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                report(self.objective_value / SCALE, self.best_objective_bound / SCALE)

        callback = Report()
    status = solver.solve(model, callback)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(start), SolveStats(
            "cp-sat", SolveStatus.TIME_LIMIT, 0.0, solver.best_objective_bound / SCALE, seconds
        )
    chosen = {cid: sid for (cid, sid), var in x.items() if solver.value(var)}
    kind = SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.TIME_LIMIT
    return chosen, SolveStats(
        "cp-sat", kind, solver.objective_value / SCALE, solver.best_objective_bound / SCALE, seconds
    )
