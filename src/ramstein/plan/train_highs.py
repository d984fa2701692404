"""One course of the training model on HiGHS: price and dive, then the exact model.

First the configuration LP (`train_columns.py`): its bound, and a plan from diving on it.
Then, with the time still left, the compact binary model (each cohort in at most one
fitting session, seats respected) from that plan, which proves small courses optimal.
"""

from __future__ import annotations

import math
import time

from ramstein.domain.plans import SolveStats, SolveStatus
from ramstein.domain.training import Session, TrainingInstance
from ramstein.plan.milp import Milp
from ramstein.plan.train_columns import as_ids, as_indices, course_arrays, dive
from ramstein.plan.train_greedy import CourseAnswer, fill, score_of

# The exact pass is not started with less than this left: loading a large model alone
# takes longer, and HiGHS checks its time limit only between steps.
SECOND_PASS_SECONDS = 1.0
SKIPPED = "exact pass skipped: no time left after pricing and diving"
# Under a time limit, the exact pass is tried only on courses with at most this many
# (cohort, session) pairs: on larger ones HiGHS spends seconds loading and presolving and
# has not improved on the dive in the benchmark, and the time goes to the next course.
EXACT_PAIRS = 20_000
TOO_LARGE = f"exact pass skipped: more than {EXACT_PAIRS:,} cohort-session pairs"


def training_milp(
    instance: TrainingInstance, pairs: dict[str, list[Session]]
) -> tuple[Milp, list[tuple[str, str]]]:
    """The compact model as a binary program, and the (cohort, session) of each column."""
    cohorts = {c.id: c for c in instance.cohorts}
    milp = Milp()
    x: list[tuple[str, str]] = []
    seats: dict[str, dict[int, float]] = {s.id: {} for s in instance.sessions}
    for cid, sessions in pairs.items():
        c = cohorts[cid]
        row = {}
        for s in sessions:
            col = milp.add_var(f"x[{cid},{s.id}]", cost=c.priority * c.size, upper=1.0)
            x.append((cid, s.id))
            row[col] = 1.0
            seats[s.id][col] = float(c.size)
        if len(row) > 1:
            milp.add_row(row, upper=1.0)
    capacity = {s.id: s.capacity for s in instance.sessions}
    for sid, row in seats.items():
        if row and sum(row.values()) > capacity[sid]:
            milp.add_row(row, upper=capacity[sid])
    return milp, x


def exact(
    instance: TrainingInstance,
    pairs: dict[str, list[Session]],
    start: dict[str, str],
    *,
    time_limit: float | None,
) -> tuple[dict[str, str], SolveStats]:
    """The compact model on HiGHS from `start`: its plan (or `start`) and how it ended."""
    from ramstein.plan.highs import solve_highs

    milp, x = training_milp(instance, pairs)
    values = [1.0 if start.get(cid) == sid else 0.0 for cid, sid in x]
    solution = solve_highs(milp, time_limit=time_limit, start=values)
    if solution.values is None:
        chosen = dict(start)
    else:
        chosen = {cid: sid for (cid, sid), v in zip(x, solution.values, strict=True) if v > 0.5}
    kind = SolveStatus.OPTIMAL if solution.status is SolveStatus.OPTIMAL else SolveStatus.TIME_LIMIT
    return chosen, SolveStats("highs", kind, solution.objective, solution.bound, solution.seconds)


def solve_with_highs(
    instance: TrainingInstance,
    pairs: dict[str, list[Session]],
    start: dict[str, str],
    *,
    deadline: float | None = None,
) -> CourseAnswer:
    """One course's best plan by `deadline` (a `time.perf_counter()` value), and its bound."""
    started = time.perf_counter()
    course = course_arrays(instance, pairs)
    dived = dive(course, as_indices(course, start), deadline=deadline)
    chosen = fill(instance, pairs, as_ids(course, dived.chosen))
    if score_of(instance, start) > score_of(instance, chosen):
        chosen = dict(start)
    score = score_of(instance, chosen)
    bound = dived.bound
    if all(c.priority * c.size == int(c.priority * c.size) for c in instance.cohorts):
        bound = math.floor(bound + 1e-6)  # integral values: so is every plan's score
    notes = list(dived.notes)
    status = SolveStatus.OPTIMAL if score >= bound - 1e-9 * max(1.0, bound) else None
    if status is None:
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left < SECOND_PASS_SECONDS:
            notes.append(SKIPPED)
            status = SolveStatus.TIME_LIMIT
        elif left is not None and sum(map(len, pairs.values())) > EXACT_PAIRS:
            notes.append(TOO_LARGE)
            status = SolveStatus.TIME_LIMIT
        else:
            polished, stats = exact(instance, pairs, chosen, time_limit=left)
            if score_of(instance, polished) > score:
                chosen, score = polished, score_of(instance, polished)
            status = stats.status
            if stats.status is SolveStatus.OPTIMAL:
                bound = score
            elif math.isfinite(stats.bound):
                bound = min(bound, stats.bound)
    return CourseAnswer(
        chosen,
        SolveStats("highs", status, score, max(bound, score), time.perf_counter() - started),
        tuple(notes),
    )
