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


def solve_train(
    instance: TrainingInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    solver: str = "highs",
) -> TrainingPlan:
    """The best training plan the solver proves (or finds within `time_limit`)."""
    instance.check()
    pairs = candidates(instance)
    start = greedy_choices(instance, pairs)
    from ramstein.plan.train_cpsat import exact_on_cpsat, solve_with_cpsat
    from ramstein.plan.train_highs import solve_with_highs

    # Priorities finer than CP-SAT's integer scaling go to HiGHS, which takes them as they are.
    use_highs = solver != "cpsat" or not exact_on_cpsat(instance)
    solve = solve_with_highs if use_highs else solve_with_cpsat
    chosen, stats = solve(instance, pairs, start, time_limit=time_limit, on_progress=on_progress)
    return plan_from(instance, chosen, stats)
