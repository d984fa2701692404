"""Training scheduler benchmark: seeded S, M, L; CP-SAT vs HiGHS vs the greedy baseline.

python -m bench.train [--sizes S,M,L] [--seed 2024] [--write FILE]
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from bench.machine import run_sizes
from ramstein.domain.training import Cohort, Session, TrainingInstance
from ramstein.plan.train import greedy_train, solve_train
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
class Row:
    """One size's measurements."""

    size: str
    cpsat_seconds: float
    cpsat_score: float
    cpsat_bound: float
    cpsat_optimal: bool
    highs_seconds: float
    highs_score: float
    highs_bound: float
    greedy_seconds: float
    greedy_score: float


def run(size: Size, seed: int, time_limit: float | None = None) -> Row:
    """Schedule one seeded instance with CP-SAT, HiGHS and greedy; validate every plan."""
    instance = generate(size, seed)
    limit = time_limit or size.time_limit
    cpsat = solve_train(instance, time_limit=limit, solver="cpsat")
    highs = solve_train(instance, time_limit=limit, solver="highs")
    greedy = greedy_train(instance)
    for plan in (cpsat, highs, greedy):
        problems = validate_training(instance, plan)
        if problems:
            raise AssertionError(f"{size.name}: {problems[:3]}")
    return Row(
        size.name,
        cpsat.stats.seconds,
        cpsat.score,
        cpsat.bound,
        cpsat.optimal,
        highs.stats.seconds,
        highs.score,
        highs.bound,
        greedy.stats.seconds,
        greedy.score,
    )


HEADERS = (
    "size",
    "limit s",
    "CP-SAT s",
    "CP-SAT score",
    "CP-SAT bound",
    "gap %",
    "HiGHS s",
    "HiGHS score",
    "HiGHS gap %",
    "greedy score",
    "HiGHS / greedy",
)


def _gap(score: float, bound: float) -> float:
    return 100 * (bound - score) / bound if bound else 0.0


def cells(r: Row) -> list[str]:
    """A row's cells, ratios measured in the same run."""
    return [
        r.size,
        f"{SIZES[r.size].time_limit:.0f}",
        f"{r.cpsat_seconds:.2f}",
        f"{r.cpsat_score:,.0f}",
        f"{r.cpsat_bound:,.0f}" + ("" if r.cpsat_optimal else " (not proven)"),
        f"{_gap(r.cpsat_score, r.cpsat_bound):.3f}",
        f"{r.highs_seconds:.2f}",
        f"{r.highs_score:,.0f}",
        f"{_gap(r.highs_score, r.highs_bound):.3f}",
        f"{r.greedy_score:,.0f}",
        f"{r.highs_score / r.greedy_score:.3f}" if r.greedy_score else "-",
    ]


def main() -> None:
    """Run the sizes asked for and print (and optionally write) the table."""
    run_sizes(
        __doc__,
        "training benchmark",
        lambda name, seed: run(SIZES[name], seed),
        cells,
        HEADERS,
        "Training scheduler: CP-SAT vs HiGHS vs greedy (same run)",
    )


if __name__ == "__main__":
    main()
