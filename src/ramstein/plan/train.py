"""The training scheduler: cohorts into course sessions, maximising priority x size.

The exact model is a multiple knapsack: each cohort in at most one fitting session,
the sessions' capacities respected. By default each course is priced and dived on
HiGHS (`train_highs.py`, `train_columns.py`), then solved exactly with the time left;
CP-SAT (`train_cpsat.py`) stays selectable. docs/benchmarks.md compares them.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ramstein.domain.plans import SolveStats, SolveStatus, TrainingPlan, Unassigned
from ramstein.domain.training import Cohort, Session, TrainingInstance
from ramstein.plan.milp import ProgressCallback

Pairs = dict[str, list[Session]]


def candidates(instance: TrainingInstance) -> Pairs:
    """Per cohort, the sessions that may take it (course, dates, and room for it at all),
    earliest first (by start, end, id)."""
    by_course: dict[str, list[Session]] = defaultdict(list)
    for s in sorted(instance.sessions, key=lambda s: (s.start, s.end, s.id)):
        by_course[s.course].append(s)
    # `fits` written out: this runs for every cohort and session of a course (10^6 pairs).
    return {
        c.id: [
            s
            for s in by_course.get(c.course, ())
            if s.start >= c.available_from and s.end <= c.needed_by and c.size <= s.capacity
        ]
        for c in instance.cohorts
    }


def plan_from(
    instance: TrainingInstance,
    chosen: Mapping[str, str],
    stats: SolveStats,
    notes: tuple[str, ...] = (),
) -> TrainingPlan:
    """A plan from cohort -> session choices: score, reasons for those left out, seats used."""
    cohorts = {c.id: c for c in instance.cohorts}
    used: dict[str, int] = {s.id: 0 for s in instance.sessions}
    for cid, sid in chosen.items():
        used[sid] += cohorts[cid].size
    score = sum(cohorts[cid].priority * cohorts[cid].size for cid in chosen)
    by_course: dict[str, list[Session]] = defaultdict(list)
    for s in instance.sessions:
        by_course[s.course].append(s)
    unassigned = tuple(
        Unassigned(
            c.id,
            "capacity"
            if any(
                s.start >= c.available_from and s.end <= c.needed_by  # `fits`, written out
                for s in by_course.get(c.course, ())
            )
            else "no_session",
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
        notes=notes,
    )


def _by_priority(cohorts: tuple[Cohort, ...]) -> list[Cohort]:
    return sorted(cohorts, key=lambda c: (-c.priority, c.needed_by, c.id))


def fill(instance: TrainingInstance, pairs: Pairs, chosen: Mapping[str, str]) -> dict[str, str]:
    """`chosen` completed greedily: the other cohorts by priority, each into the earliest
    fitting session with room left."""
    sizes = {c.id: c.size for c in instance.cohorts}
    room = {s.id: s.capacity for s in instance.sessions}
    for cid, sid in chosen.items():
        room[sid] -= sizes[cid]
    out = dict(chosen)
    for c in _by_priority(instance.cohorts):
        if c.id in out:
            continue
        for s in pairs[c.id]:  # earliest first
            if room[s.id] >= c.size:
                room[s.id] -= c.size
                out[c.id] = s.id
                break
    return out


def greedy_choices(instance: TrainingInstance, pairs: Pairs | None = None) -> dict[str, str]:
    """Cohorts by priority, each into the earliest fitting session with room left."""
    return fill(instance, pairs if pairs is not None else candidates(instance), {})


def score_of(instance: TrainingInstance, chosen: Mapping[str, str]) -> float:
    """The score of cohort -> session choices: priority x size over the cohorts placed."""
    return sum(c.priority * c.size for c in instance.cohorts if c.id in chosen)


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


@dataclass(frozen=True)
class CourseAnswer:
    """One course's plan from a solver: choices, how the solve ended, and what it skipped."""

    chosen: dict[str, str]
    stats: SolveStats
    notes: tuple[str, ...] = ()


# The documented margin over `time_limit` (docs/user-guide.md): the larger of these.
MARGIN_SHARE = 0.05
MARGIN_SECONDS = 2.0


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
    the greedy start); the plan comes back within it plus MARGIN_SHARE or MARGIN_SECONDS,
    with the best plan found and a proven bound.
    """
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
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
        part_deadline = None
        if deadline is not None:
            now = time.perf_counter()
            part_deadline = now + max(0.0, deadline - now) / (len(parts) - k)
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
    stats = SolveStats(name, status, objective, bound, time.perf_counter() - started)
    told = tuple(
        note if n == 1 else f"{note} ({n} of {len(parts)} courses)" for note, n in notes.items()
    )
    return plan_from(instance, chosen, stats, told)
