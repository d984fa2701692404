"""Training scheduler benchmark: the planner against CP-SAT, CBC and the greedy baseline.

Seeded S, M, L (8, 20, 40 courses) and the few-large-courses shapes F5 and F10 (8
courses, 1,000 sessions, 5,000 or 10,000 cohorts). Each way of planning runs in its own
process, one after the other, so that its peak memory is its own.

python -m bench.train [--sizes S,M,L,F5,F10] [--seed 2024] [--write FILE]
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bench.machine import in_child, run_sizes
from ramstein.domain.plans import SolveStats, SolveStatus, TrainingPlan
from ramstein.domain.training import Cohort, Session, TrainingInstance
from ramstein.plan.train import solve_train
from ramstein.plan.train_greedy import by_course, candidates, greedy_train, plan_from
from ramstein.plan.validate import validate_training

D0 = date(2025, 1, 1)


@dataclass(frozen=True)
class Size:
    """How many sessions and cohorts, and the time limit."""

    name: str
    sessions: int
    cohorts: int
    courses: int
    time_limit: float
    few: bool = False


SIZES = {
    "S": Size("S", 50, 200, 8, 60.0),
    "M": Size("M", 300, 2_000, 20, 60.0),
    "L": Size("L", 1_000, 10_000, 40, 60.0),
    # Few, large courses (issue #22): ~125 sessions and 600-1,250 cohorts per course.
    "FS": Size("FS", 60, 600, 8, 20.0, few=True),
    "F5": Size("F5", 1_000, 5_000, 8, 120.0, few=True),
    "F10": Size("F10", 1_000, 10_000, 8, 120.0, few=True),
}


def generate(size: Size, seed: int) -> TrainingInstance:
    """Sessions over a year; cohorts with windows of one to four months; demand > seats."""
    if size.few:
        return generate_few(size, seed)
    rng = random.Random(seed)
    courses = [f"COURSE{k:02d}" for k in range(size.courses)]
    sessions = []
    for k in range(size.sessions):
        start = D0 + timedelta(days=rng.randint(0, 330))
        sessions.append(
            Session(
                f"S{k:05d}",
                rng.choice(courses),
                rng.choice(("DEU", "GBR", "POL", "USA", "FRA", "NOR")),
                "site",
                start,
                start + timedelta(days=rng.choice((14, 28, 42, 56))),
                rng.randint(20, 120),
            )
        )
    cohorts = []
    for k in range(size.cohorts):
        available = D0 + timedelta(days=rng.randint(0, 300))
        cohorts.append(
            Cohort(
                f"C{k:05d}",
                rng.choice(courses),
                rng.randint(5, 60),
                available,
                available + timedelta(days=rng.randint(30, 120)),
                float(rng.randint(1, 10)),
            )
        )
    return TrainingInstance(tuple(sessions), tuple(cohorts))


def generate_few(size: Size, seed: int) -> TrainingInstance:
    """Few, large courses: sessions of 24-120 seats over 40 weeks; cohorts of 6-70 trainees
    with windows of 6-30 weeks and priorities 1-8; demand several times the seats."""
    rng = random.Random(seed)
    courses = [f"COURSE{k:02d}" for k in range(size.courses)]
    sessions = []
    for k in range(size.sessions):
        weeks = rng.randint(1, 6)
        start = D0 + timedelta(weeks=rng.randint(0, 40 - weeks))
        sessions.append(
            Session(
                f"S{k:05d}",
                rng.choice(courses),
                rng.choice(("DEU", "GBR", "POL", "USA", "FRA", "NOR")),
                "site",
                start,
                start + timedelta(weeks=weeks, days=-3),
                rng.randint(24, 120),
            )
        )
    cohorts = []
    for k in range(size.cohorts):
        window = rng.randint(6, 30)
        available = D0 + timedelta(weeks=rng.randint(0, 40 - window))
        cohorts.append(
            Cohort(
                f"C{k:05d}",
                rng.choice(courses),
                rng.randint(6, 70),
                available,
                available + timedelta(weeks=window),
                float(rng.randint(1, 8)),
            )
        )
    return TrainingInstance(tuple(sessions), tuple(cohorts))


@dataclass(frozen=True)
class Outcome:
    """One way of planning on one instance: seconds, score, proven bound, peak memory."""

    seconds: float
    score: float
    bound: float  # inf: none proven
    optimal: bool
    peak_mb: float = 0.0
    note: str = ""

    @property
    def gap(self) -> float:
        """Percent between score and bound."""
        return 100 * (self.bound - self.score) / self.bound if self.bound else 0.0


def cbc_train(instance: TrainingInstance, time_limit: float) -> TrainingPlan:
    """The compact model per course on CBC through PuLP, the time shared as the planner does."""
    from bench.cbc import solve_cbc
    from ramstein.plan.train_highs import training_milp

    started = time.perf_counter()
    chosen: dict[str, str] = {}
    optimal, without = True, 0
    parts = sorted(by_course(instance), key=lambda p: len(p.cohorts))
    for k, part in enumerate(parts):
        left = max(0.0, time_limit - (time.perf_counter() - started))
        milp, x = training_milp(part, candidates(part))
        solution = solve_cbc(milp, time_limit=max(1.0, left / (len(parts) - k)))
        optimal = optimal and solution.status is SolveStatus.OPTIMAL
        if solution.values is None:
            without += 1  # no plan for this course: its cohorts stay out
            continue
        chosen.update(
            {cid: sid for (cid, sid), v in zip(x, solution.values, strict=True) if v > 0.5}
        )
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.TIME_LIMIT
    note = f"CBC found no plan for {without} of {len(parts)} courses" if without else ""
    seconds = time.perf_counter() - started
    return plan_from(instance, chosen, SolveStats("cbc", status, 0.0, float("inf"), seconds, note))


def plan_one(size: Size, seed: int, way: str, time_limit: float) -> Outcome:
    """Plan one seeded instance one way (in a child process: see `in_child`), validated."""
    instance = generate(size, seed)
    started = time.perf_counter()
    if way == "greedy":
        plan = greedy_train(instance)
    elif way == "cbc":
        plan = cbc_train(instance, time_limit)
    else:
        plan = solve_train(instance, time_limit=time_limit, solver=way)
    seconds = time.perf_counter() - started
    problems = validate_training(instance, plan)
    if problems:
        raise AssertionError(f"{size.name} {way}: {problems[:3]}")
    return Outcome(seconds, plan.score, plan.bound, plan.optimal, note=plan.stats.note)


@dataclass(frozen=True)
class Row:
    """One size's measurements: the planner (HiGHS), CP-SAT, CBC and greedy, same run."""

    size: str
    limit: float
    highs: Outcome
    cpsat: Outcome
    cbc: Outcome
    greedy: Outcome


def run(size: Size, seed: int, time_limit: float | None = None) -> Row:
    """Plan one seeded instance every way, one after the other, each in its own process."""
    limit = time_limit or size.time_limit
    ways = {}
    for way in ("highs", "cpsat", "cbc", "greedy"):
        outcome, peak = in_child(plan_one, size, seed, way, limit)
        ways[way] = replace(outcome, peak_mb=peak)
    row = Row(size.name, limit, ways["highs"], ways["cpsat"], ways["cbc"], ways["greedy"])
    # Each row as soon as it is measured: a long run keeps what it has if a later size fails.
    print(" | ".join(cells(row)), *(f"{w}: {ways[w].note}" for w in ways if ways[w].note))
    return row


HEADERS = (
    "size",
    "limit s",
    "planner s",
    "score",
    "bound",
    "gap %",
    "peak MB",
    "CP-SAT s",
    "CP-SAT score",
    "CP-SAT gap %",
    "CP-SAT MB",
    "CBC s",
    "CBC score",
    "CBC MB",
    "greedy score",
    "planner / greedy",
)


def cells(r: Row) -> list[str]:
    """A row's cells, ratios measured in the same run."""
    h, cp, cbc, g = r.highs, r.cpsat, r.cbc, r.greedy
    return [
        r.size,
        f"{r.limit:.0f}",
        f"{h.seconds:.2f}",
        f"{h.score:,.0f}",
        f"{h.bound:,.0f}" + ("" if h.optimal else " (not proven)"),
        f"{h.gap:.3f}",
        f"{h.peak_mb:,.0f}",
        f"{cp.seconds:.2f}",
        f"{cp.score:,.0f}",
        f"{cp.gap:.3f}",
        f"{cp.peak_mb:,.0f}",
        f"{cbc.seconds:.2f}",
        f"{cbc.score:,.0f}" + ("" if cbc.optimal else " (not proven)") + _no_plan(cbc),
        f"{cbc.peak_mb:,.0f}",
        f"{g.score:,.0f}",
        f"{h.score / g.score:.3f}" if g.score else "-",
    ]


def _no_plan(outcome: Outcome) -> str:
    """How many courses CBC found no plan for, if any."""
    return f" ({outcome.note.removeprefix('CBC found ')})" if "no plan" in outcome.note else ""


def main() -> None:
    """Run the sizes asked for and print (and optionally write) the table."""
    run_sizes(
        __doc__,
        "training benchmark",
        lambda name, seed: run(SIZES[name], seed),
        cells,
        HEADERS,
        "Training scheduler: planner (HiGHS) vs CP-SAT vs CBC vs greedy (same run)",
    )


if __name__ == "__main__":
    main()
