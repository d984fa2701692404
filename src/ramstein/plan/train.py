"""The training scheduler: cohorts into course sessions, maximising priority x size.

The exact model is a multiple knapsack: each cohort in at most one fitting session,
the sessions' capacities respected. By default each course is priced and dived on
HiGHS (`train_highs.py`, `train_columns.py`), then solved exactly with the time left;
CP-SAT (`train_cpsat.py`) stays selectable. docs/benchmarks.md compares them.
"""

from __future__ import annotations

import time
from collections import Counter

from ramstein.domain.plans import SolveStats, SolveStatus, TrainingPlan
from ramstein.domain.training import TrainingInstance
from ramstein.plan.limits import Clock
from ramstein.plan.milp import ProgressCallback
from ramstein.plan.train_greedy import (
    CourseAnswer,
    Pairs,
    by_course,
    candidates,
    greedy_choices,
    plan_from,
    score_of,
)

NO_TIME = "no time left for the solver: the greedy plan"


def _no_time(
    instance: TrainingInstance, pairs: Pairs, start: dict[str, str], name: str
) -> CourseAnswer:
    """A course's greedy plan with the bound of every cohort that fits somewhere, placed."""
    bound = sum(c.priority * c.size for c in instance.cohorts if pairs[c.id])
    stats = SolveStats(name, SolveStatus.TIME_LIMIT, score_of(instance, start), bound, 0.0)
    return CourseAnswer(start, stats, (NO_TIME,))


def solve_train(
    instance: TrainingInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    solver: str = "highs",
) -> TrainingPlan:
    """The best training plan the solver proves (or finds within `time_limit`).

    Courses never share seats, so each course is solved on its own, in turn, each given
    an even share of the time still left: time a course does not use goes to the next.
    Everything after the call counts against `time_limit` (checks, building the models,
    the greedy start); the plan comes back within it plus `limits.margin`, with the best
    plan found and a proven bound, and what was cut short in its note.
    """
    clock = Clock(time_limit)
    instance.check()
    from ramstein.plan.train_cpsat import exact_on_cpsat, solve_with_cpsat
    from ramstein.plan.train_highs import solve_with_highs

    # Priorities finer than CP-SAT's integer scaling go to HiGHS, which takes them as they are.
    use_highs = solver != "cpsat" or not exact_on_cpsat(instance)
    solve = solve_with_highs if use_highs else solve_with_cpsat
    parts = sorted(by_course(instance), key=lambda p: len(p.cohorts))
    chosen: dict[str, str] = {}
    optimal, objective, bound = True, 0.0, 0.0
    notes: Counter[str] = Counter()
    for k, part in enumerate(parts):
        left = clock.left()
        part_deadline = None if left is None else time.perf_counter() + left / (len(parts) - k)
        pairs = candidates(part)
        start = greedy_choices(part, pairs)
        if part_deadline is not None and time.perf_counter() >= part_deadline:
            answer = _no_time(part, pairs, start, "highs" if use_highs else "cp-sat")
        else:
            answer = solve(part, pairs, start, deadline=part_deadline)
        chosen.update(answer.chosen)
        notes.update(answer.notes)
        stats = answer.stats
        optimal = optimal and stats.status is SolveStatus.OPTIMAL
        score = score_of(part, answer.chosen)
        objective += score
        bound += score if stats.status is SolveStatus.OPTIMAL else max(score, stats.bound)
        if on_progress is not None:
            on_progress(objective, bound)
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.TIME_LIMIT
    name = "highs" if use_highs else "cp-sat"
    note = "; ".join(
        note if n == 1 else f"{note} ({n} of {len(parts)} courses)" for note, n in notes.items()
    )
    stats = SolveStats(name, status, objective, bound, clock.spent(), note)
    return plan_from(instance, chosen, stats)
