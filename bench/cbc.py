"""The PuLP + CBC baseline: the same Milp handed to CBC, for speed ratios."""

from __future__ import annotations

import time

import pulp

from ramstein.domain.plans import SolveStatus
from ramstein.plan.milp import INF, Milp, MilpSolution


def solve_cbc(model: Milp, *, time_limit: float | None = None) -> MilpSolution:
    """Solve `model` with CBC through PuLP, zero gap, one thread per core."""
    started = time.perf_counter()
    problem = pulp.LpProblem(
        "ramstein", pulp.LpMaximize if model.sense == "max" else pulp.LpMinimize
    )
    xs = [
        pulp.LpVariable(
            f"x{i}",
            lowBound=model.lower[i],
            upBound=None if model.upper[i] == INF else model.upper[i],
            cat=pulp.LpInteger if model.integer[i] else pulp.LpContinuous,
        )
        for i in range(len(model.names))
    ]
    problem += pulp.lpSum(c * x for c, x in zip(model.cost, xs, strict=True) if c)
    for k, row in enumerate(model.rows):
        expr = pulp.lpSum(v * xs[i] for i, v in zip(row.indices, row.coefficients, strict=True))
        if row.upper != INF:
            problem += (expr <= row.upper, f"u{k}")
        if row.lower != -INF:
            problem += (expr >= row.lower, f"l{k}")
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=0.0)
    problem.solve(solver)
    seconds = time.perf_counter() - started
    optimal = pulp.LpStatus[problem.status] == "Optimal" and problem.sol_status == 1
    # Stopped without an integer-feasible point, PuLP still reads back values: not a plan.
    found = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    values = [x.value() or 0.0 for x in xs] if found else None
    objective = float(pulp.value(problem.objective) or 0.0) if found else 0.0
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.TIME_LIMIT
    return MilpSolution(values, status, objective, objective if optimal else INF, seconds, "cbc")
