"""The training model on OR-Tools CP-SAT, imported only when a plan is made."""

from __future__ import annotations

import os
import time
from typing import Any

from ramstein.domain.plans import SolveStats, SolveStatus
from ramstein.domain.training import Session, TrainingInstance
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.train_greedy import CourseAnswer, score_of

# The note when building the model used up the time.
SKIPPED = "CP-SAT skipped: no time left after building the model"

# CP-SAT's objective is integral: priorities are scaled by this (exact to 1/1000).
SCALE = 1000


def exact_on_cpsat(instance: TrainingInstance) -> bool:
    """Whether every priority is a multiple of 1/SCALE, so CP-SAT's optimum is exact."""
    return all(abs(c.priority * SCALE - round(c.priority * SCALE)) < 1e-9 for c in instance.cohorts)


def solve_with_cpsat(
    instance: TrainingInstance,
    pairs: dict[str, list[Session]],
    start: dict[str, str],
    *,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> CourseAnswer:
    """Maximise priority x size placed; each cohort in one fitting session, seats respected.

    Building the model counts against `deadline` (a `time.perf_counter()` value): CP-SAT
    gets what is left, and with nothing left the greedy `start` comes back.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    # Without a solve, the bound is every cohort that fits somewhere, placed.
    trivial = sum(c.priority * c.size for c in instance.cohorts if pairs.get(c.id))
    model = cp_model.CpModel()
    cohorts = {c.id: c for c in instance.cohorts}
    x: dict[tuple[str, str], Any] = {}
    seats: dict[str, list[tuple[int, Any]]] = {s.id: [] for s in instance.sessions}
    weights: list[int] = []
    terms: list[Any] = []

    def out_of_time() -> bool:
        return deadline is not None and time.perf_counter() >= deadline

    def skipped() -> CourseAnswer:
        seconds = time.perf_counter() - started
        stats = SolveStats("cp-sat", SolveStatus.TIME_LIMIT, 0.0, trivial, seconds)
        return CourseAnswer(dict(start), stats, (SKIPPED,))

    for n, (cid, sessions) in enumerate(pairs.items()):
        if n % 256 == 0 and out_of_time():
            return skipped()
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
        weights.extend([round(c.priority * SCALE) * c.size] * len(options))
        terms.extend(options)
    capacity = {s.id: s.capacity for s in instance.sessions}
    for sid, used in seats.items():
        if used and sum(size for size, _ in used) > capacity[sid]:
            model.add(
                cp_model.LinearExpr.weighted_sum([v for _, v in used], [k for k, _ in used])
                <= capacity[sid]
            )
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, weights))

    left = None if deadline is None else deadline - time.perf_counter()
    if left is not None and left <= 0:
        return skipped()
    solver = cp_model.CpSolver()
    # The full portfolio (LP-based bound workers included) proves far tighter bounds than
    # one worker per core, even when its eight workers share two cores.
    solver.parameters.num_workers = max(8, os.cpu_count() or 1)
    if left is not None:
        solver.parameters.max_time_in_seconds = left

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
        # Without a solution CP-SAT's bound may not have been set at all.
        bound = trivial
        stats = SolveStats("cp-sat", SolveStatus.TIME_LIMIT, 0.0, bound, seconds)
        return CourseAnswer(dict(start), stats)
    chosen = {cid: sid for (cid, sid), var in x.items() if solver.value(var)}
    if score_of(instance, start) > score_of(instance, chosen):
        chosen = dict(start)  # stopped early, CP-SAT may not have kept its hint
    kind = SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.TIME_LIMIT
    stats = SolveStats(
        "cp-sat", kind, solver.objective_value / SCALE, solver.best_objective_bound / SCALE, seconds
    )
    return CourseAnswer(chosen, stats)
