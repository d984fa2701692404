"""The training scheduler: cohorts into course sessions, maximising priority x size.

The exact model (a multiple knapsack: each cohort in at most one fitting session, the
sessions' capacities respected) is solved by HiGHS (`train_highs.py`) by default: in the
benchmark (docs/benchmarks.md) it closes the gap further than CP-SAT (`train_cpsat.py`)
within the same minute at size L and matches it at M. CP-SAT stays selectable.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping

from ramstein.domain.plans import SolveStats, SolveStatus, TrainingPlan, Unassigned
from ramstein.domain.training import Cohort, Session, TrainingInstance, fits
from ramstein.plan.milp import ProgressCallback

Pairs = dict[str, list[Session]]


def candidates(instance: TrainingInstance) -> Pairs:
    """Per cohort, the sessions that may take it (course, dates, and room for it at all)."""
    by_course: dict[str, list[Session]] = defaultdict(list)
    for s in instance.sessions:
        by_course[s.course].append(s)
    return {
        c.id: [s for s in by_course.get(c.course, []) if fits(c, s) and c.size <= s.capacity]
        for c in instance.cohorts
    }


def plan_from(
    instance: TrainingInstance, chosen: Mapping[str, str], stats: SolveStats
) -> TrainingPlan:
    """A plan from cohort -> session choices: score, reasons for those left out, seats used."""
    cohorts = {c.id: c for c in instance.cohorts}
    used: dict[str, int] = {s.id: 0 for s in instance.sessions}
    for cid, sid in chosen.items():
        used[sid] += cohorts[cid].size
    score = sum(cohorts[cid].priority * cohorts[cid].size for cid in chosen)
    unassigned = tuple(
        Unassigned(
            c.id,
            "capacity" if any(fits(c, s) for s in instance.sessions) else "no_session",
        )
        for c in instance.cohorts
        if c.id not in chosen
    )
    optimal = stats.status is SolveStatus.OPTIMAL
    return TrainingPlan(
        score=score,
        bound=score if optimal else max(score, stats.bound),
        optimal=optimal,
        assignments=tuple((c.id, chosen[c.id]) for c in instance.cohorts if c.id in chosen),
        unassigned=unassigned,
        used=used,
        stats=stats,
    )


def _by_priority(cohorts: tuple[Cohort, ...]) -> list[Cohort]:
    return sorted(cohorts, key=lambda c: (-c.priority, c.needed_by, c.id))


def greedy_choices(instance: TrainingInstance, pairs: Pairs | None = None) -> dict[str, str]:
    """Cohorts by priority, each into the earliest fitting session with room left."""
    pairs = pairs if pairs is not None else candidates(instance)
    room = {s.id: s.capacity for s in instance.sessions}
    chosen: dict[str, str] = {}
    for c in _by_priority(instance.cohorts):
        for s in sorted(pairs[c.id], key=lambda s: (s.start, s.end, s.id)):
            if room[s.id] >= c.size:
                room[s.id] -= c.size
                chosen[c.id] = s.id
                break
    return chosen


def greedy_train(instance: TrainingInstance) -> TrainingPlan:
    """The baseline plan: priority order, earliest session."""
    instance.check()
    started = time.perf_counter()
    chosen = greedy_choices(instance)
    stats = SolveStats(
        "greedy", SolveStatus.HEURISTIC, 0.0, float("inf"), time.perf_counter() - started
    )
    return plan_from(instance, chosen, stats)


def by_course(instance: TrainingInstance) -> list[TrainingInstance]:
    """The independent parts of an instance: cohorts and sessions of one course each."""
    sessions: dict[str, list[Session]] = defaultdict(list)
    cohorts: dict[str, list[Cohort]] = defaultdict(list)
    for s in instance.sessions:
        sessions[s.course].append(s)
    for c in instance.cohorts:
        cohorts[c.course].append(c)
    return [
        TrainingInstance(tuple(sessions[course]), tuple(cohorts[course]), instance.courses)
        for course in sorted(cohorts)
        if sessions.get(course)
    ]


def solve_train(
    instance: TrainingInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    solver: str = "highs",
) -> TrainingPlan:
    """The best training plan the solver proves (or finds within `time_limit`).

    Courses never share seats, so each course is solved on its own: many small exact
    models close their gaps where one large model stalls at its root node.
    """
    instance.check()
    from ramstein.plan.train_cpsat import exact_on_cpsat, solve_with_cpsat
    from ramstein.plan.train_highs import solve_with_highs

    # Priorities finer than CP-SAT's integer scaling go to HiGHS, which takes them as they are.
    use_highs = solver != "cpsat" or not exact_on_cpsat(instance)
    solve = solve_with_highs if use_highs else solve_with_cpsat
    started = time.perf_counter()
    parts = sorted(by_course(instance), key=lambda p: len(p.cohorts))
    chosen: dict[str, str] = {}
    optimal, objective, bound = True, 0.0, 0.0
    name = "highs" if use_highs else "cp-sat"
    for k, part in enumerate(parts):
        budget = None
        if time_limit is not None:
            # Share what is left evenly among the parts still to solve.
            left = max(0.0, time_limit - (time.perf_counter() - started))
            budget = max(0.01, left / (len(parts) - k))
        pairs = candidates(part)
        start = greedy_choices(part, pairs)
        part_chosen, stats = solve(part, pairs, start, time_limit=budget, on_progress=None)
        chosen.update(part_chosen)
        optimal = optimal and stats.status is SolveStatus.OPTIMAL
        score = sum(c.priority * c.size for c in part.cohorts if c.id in part_chosen)
        objective += score
        bound += score if stats.status is SolveStatus.OPTIMAL else max(score, stats.bound)
        if on_progress is not None:
            on_progress(objective, bound)
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.TIME_LIMIT
    stats = SolveStats(name, status, objective, bound, time.perf_counter() - started)
    return plan_from(instance, chosen, stats)
