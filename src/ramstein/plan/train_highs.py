"""The training model on HiGHS, kept for the benchmark's comparison with CP-SAT."""

from __future__ import annotations

from typing import Any

from ramstein.domain.plans import SolveStats, SolveStatus
from ramstein.domain.training import TrainingInstance
from ramstein.plan.highs import solve_highs
from ramstein.plan.milp import Milp, ProgressCallback


def solve_with_highs(
    instance: TrainingInstance,
    pairs: dict[str, list[Any]],
    start: dict[str, str],
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[dict[str, str], SolveStats]:
    """The same model as CP-SAT's, as a binary program for HiGHS."""
    cohorts = {c.id: c for c in instance.cohorts}
    milp = Milp()
    x: dict[int, tuple[str, str]] = {}
    seats: dict[str, dict[int, float]] = {s.id: {} for s in instance.sessions}
    for cid, sessions in pairs.items():
        c = cohorts[cid]
        row = {}
        for s in sessions:
            col = milp.add_var(f"x[{cid},{s.id}]", cost=c.priority * c.size, upper=1.0)
            x[col] = (cid, s.id)
            row[col] = 1.0
            seats[s.id][col] = float(c.size)
        if len(row) > 1:
            milp.add_row(row, upper=1.0)
    capacity = {s.id: s.capacity for s in instance.sessions}
    for sid, row in seats.items():
        if row and sum(row.values()) > capacity[sid]:
            milp.add_row(row, upper=capacity[sid])
    values = [1.0 if start.get(cid) == sid else 0.0 for _, (cid, sid) in sorted(x.items())]
    solution = solve_highs(milp, time_limit=time_limit, on_progress=on_progress, start=values)
    if solution.values is None:
        chosen = dict(start)
    else:
        chosen = {cid: sid for col, (cid, sid) in x.items() if solution.values[col] > 0.5}
    kind = SolveStatus.OPTIMAL if solution.status is SolveStatus.OPTIMAL else SolveStatus.TIME_LIMIT
    return chosen, SolveStats("highs", kind, solution.objective, solution.bound, solution.seconds)
