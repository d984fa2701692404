"""Match planner benchmark: seeded instances S, M, L; HiGHS vs greedy vs PuLP + CBC.

python -m bench.match [--sizes S,M,L] [--seed 2024] [--cbc-time-limit 120] [--write]
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.cbc import solve_cbc
from bench.machine import run_sizes
from ramstein.domain.items import Component, Item, MatchInstance, Offer, Requirement
from ramstein.plan.bom import Bom
from ramstein.plan.match import build_model, greedy_match, solve_match
from ramstein.plan.validate import validate_match


@dataclass(frozen=True)
class Size:
    """How big an instance is."""

    name: str
    requirements: int
    offers: int
    donors: int
    items: int


HIGHS_TIME_LIMIT = 20.0  # the L target: optimal or under 0.1 % within 20 s
CBC_TIME_LIMIT = 120.0

SIZES = {
    "S": Size("S", 200, 500, 20, 150),
    "M": Size("M", 1_000, 5_000, 40, 600),
    "L": Size("L", 5_000, 20_000, 50, 2_000),
}


def generate(size: Size, seed: int) -> MatchInstance:
    """A seeded instance: leaves, then assemblies up to three levels over lower levels."""
    rng = random.Random(seed)
    levels: list[list[str]] = [[], [], [], []]
    items: list[Item] = []
    shares = (0.55, 0.25, 0.13, 0.07)
    counts = [max(1, int(size.items * s)) for s in shares]
    counts[0] += size.items - sum(counts)
    for level, count in enumerate(counts):
        for k in range(count):
            item_id = f"L{level}-{k:04d}"
            components: tuple[Component, ...] = ()
            if level:
                lower = [i for lv in levels[:level] for i in lv]
                picks = rng.sample(levels[level - 1], 1) + rng.sample(lower, rng.randint(1, 4))
                components = tuple(
                    Component(p, rng.choice((1, 2, 3, 4, 6))) for p in dict.fromkeys(picks)
                )
            levels[level].append(item_id)
            items.append(Item(item_id, components=components))
    donors = [f"D{d:02d}" for d in range(size.donors)]
    everything = [i.id for i in items]
    requirements = tuple(
        Requirement(
            f"R{k:05d}",
            rng.choice(levels[rng.choice((1, 1, 2, 3))] if rng.random() < 0.6 else everything),
            rng.randint(1, 10),
            rng.randint(1, 1000),
        )
        for k in range(size.requirements)
    )
    offers = tuple(
        Offer(
            f"O{k:05d}",
            rng.choice(donors),
            rng.choice(levels[0] if rng.random() < 0.9 else everything),
            rng.randint(1, 12),
        )
        for k in range(size.offers)
    )
    return MatchInstance(tuple(items), requirements, offers)


@dataclass(frozen=True)
class Row:
    """One size's measurements."""

    size: str
    variables: int
    rows: int
    highs_seconds: float
    score: float
    bound: float
    optimal: bool
    greedy_seconds: float
    greedy_score: float
    cbc_seconds: float
    cbc_objective: float
    cbc_optimal: bool


def run(size: Size, seed: int, cbc_time_limit: float, highs_time_limit: float) -> Row:
    """Solve one seeded instance three ways and check every plan with the validator."""
    instance = generate(size, seed)
    exact = solve_match(instance, time_limit=highs_time_limit)
    greedy = greedy_match(instance)
    for plan in (exact, greedy):
        problems = validate_match(instance, plan)
        if problems:
            raise AssertionError(f"{size.name}: {problems[:3]}")
    model = build_model(instance, Bom(instance.items))
    cbc = solve_cbc(model.milp, time_limit=cbc_time_limit)
    return Row(
        size=size.name,
        variables=len(model.milp.names),
        rows=len(model.milp.rows),
        highs_seconds=exact.stats.seconds,
        score=exact.score,
        bound=exact.bound,
        optimal=exact.optimal,
        greedy_seconds=greedy.stats.seconds,
        greedy_score=greedy.score,
        cbc_seconds=cbc.seconds,
        cbc_objective=cbc.objective,
        cbc_optimal=cbc.status.value == "optimal",
    )


HEADERS = (
    "size",
    "vars",
    "rows",
    "HiGHS s",
    "score",
    "bound",
    "gap %",
    "greedy score",
    "greedy/HiGHS",
    "CBC s",
    "CBC objective",
    "CBC s / HiGHS s",
)


def cells(r: Row) -> list[str]:
    """A row's cells, ratios measured in the same run."""
    gap = 100 * (r.bound - r.score) / r.bound if r.bound else 0.0
    return [
        r.size,
        f"{r.variables:,}",
        f"{r.rows:,}",
        f"{r.highs_seconds:.2f}",
        f"{r.score:,.0f}",
        f"{r.bound:,.0f}" + ("" if r.optimal else " (not proven)"),
        f"{gap:.3f}",
        f"{r.greedy_score:,.0f}",
        f"{r.greedy_score / r.score:.3f}" if r.score else "-",
        f"{r.cbc_seconds:.2f}" + ("" if r.cbc_optimal else " (limit)"),
        f"{r.cbc_objective:,.0f}",
        f"{r.cbc_seconds / r.highs_seconds:.1f}x" if r.highs_seconds else "-",
    ]


def main() -> None:
    """Run the sizes asked for and print (and optionally write) the table."""
    run_sizes(
        __doc__,
        "match benchmark",
        lambda name, seed: run(SIZES[name], seed, CBC_TIME_LIMIT, HIGHS_TIME_LIMIT),
        cells,
        HEADERS,
        "Match planner: HiGHS vs greedy vs PuLP + CBC (same run)",
    )


if __name__ == "__main__":
    main()
