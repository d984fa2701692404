"""Training plans without a solver: the sessions each cohort fits, the greedy plan, the
pieces every back-end shares (filling choices up, scoring them, one course at a time)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ramstein.domain.plans import SolveStats, SolveStatus, TrainingPlan, Unassigned
from ramstein.domain.training import Cohort, Session, TrainingInstance

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
