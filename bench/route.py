"""Route planner benchmark: seeded networks S, M, L, XL, XXL; the planner vs the baseline.

python -m bench.route [--sizes S,M,L] [--seed 2024] [--write FILE]
(--sizes XL,XXL for NSATU's monthly volume; one size at a time, each in a fresh process
so that its peak memory is its own.)
"""

from __future__ import annotations

import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from bench.machine import run_sizes
from ramstein.domain.logistics import Consignment, Link, LogisticsInstance, Node, NodeKind
from ramstein.plan.route import baseline_route, solve_route
from ramstein.plan.validate import validate_route


@dataclass(frozen=True)
class Size:
    """How big a network is, and how long the time limit for it."""

    name: str
    depots: int
    hubs: int
    destinations: int
    consignments: int
    horizon: int
    time_limit: float
    most_pallets: int = 12  # pallets per consignment: 1 to this many


SIZES = {
    "S": Size("S", 10, 4, 3, 50, 30, 30.0),
    "M": Size("M", 40, 12, 6, 500, 60, 30.0),
    "L": Size("L", 120, 30, 10, 3_000, 90, 120.0),
    # NSATU's monthly volume: about 26,000 pallets over 60 days, then 60,000.
    "XL": Size("XL", 160, 48, 32, 2_000, 60, 120.0, 25),
    "XXL": Size("XXL", 240, 72, 40, 4_000, 60, 120.0, 29),
}


def _traffic(size: Size) -> tuple[float, float]:
    """Capacity factors for depot links and hubs: the daily traffic each carries, against M's.

    Links and hubs are sized for the pallets they see per day (consignments become ready
    over the first half of the horizon), so that sizes differ in scale, not in congestion.
    """
    m = SIZES["M"]

    def daily(s: Size, over: int) -> float:
        return s.consignments * (1 + s.most_pallets) / 2 / over / (s.horizon / 2)

    per_depot = daily(size, size.depots) / daily(m, m.depots)
    per_hub = daily(size, size.hubs) / daily(m, m.hubs)
    return per_depot, per_hub


def generate(size: Size, seed: int) -> LogisticsInstance:
    """A seeded network: each depot feeds three hubs, each hub half of the destinations."""
    rng = random.Random(seed)
    depots = [f"DEPOT{d:03d}" for d in range(size.depots)]
    hubs = [f"HUB{h:02d}" for h in range(size.hubs)]
    destinations = [f"DEST{k:02d}" for k in range(size.destinations)]
    per_depot, per_hub = _traffic(size)
    nodes = (
        [Node(d, NodeKind.DEPOT) for d in depots]
        + [Node(h, NodeKind.HUB, round(rng.randint(20, 60) * per_hub)) for h in hubs]
        + [Node(k, NodeKind.DESTINATION) for k in destinations]
    )
    links: dict[tuple[str, str], Link] = {}

    def link(u: str, v: str, transit: int, capacity: int, cost: float) -> None:
        links.setdefault((u, v), Link(u, v, transit, capacity, cost))

    def cost(transit: int) -> float:
        # Faster is dearer: road express on one day, rail over three.
        return float(rng.randint(2, 4) * (4 - transit) ** 2)

    for d in depots:
        # Three hubs per depot: NSATU's hubs are in three countries (Poland, Slovakia,
        # Romania) and a donor's depot can usually reach one in each.
        for h in rng.sample(hubs, 3):
            transit = rng.randint(1, 3)
            link(d, h, transit, round(rng.randint(15, 40) * per_depot), cost(transit))
    for i, h in enumerate(hubs):
        if i % 3 == 0:  # a few hub-to-hub transfers, not a ring that joins everything
            link(h, hubs[(i + 1) % len(hubs)], 1, rng.randint(10, 30), 1.0)
        for k in rng.sample(destinations, (len(destinations) + 1) // 2):
            transit = rng.randint(1, 3)
            link(h, k, transit, round(rng.randint(15, 40) * per_hub), cost(transit))
    reach: dict[str, list[str]] = {}
    for d in depots:
        hubs_of = [v for (u, v) in links if u == d]
        reach[d] = sorted({v for (u, v) in links if u in hubs_of and v in destinations})
    consignments = []
    for c in range(size.consignments):
        ready = rng.randint(0, size.horizon // 2)
        origin = rng.choice(depots)
        consignments.append(
            Consignment(
                f"K{c:05d}",
                f"ITEM{rng.randint(0, 50):02d}",
                rng.randint(1, size.most_pallets),
                origin,
                rng.choice(reach[origin]),
                ready,
                min(size.horizon - 1, ready + rng.randint(4, 12)),
                float(rng.randint(1, 5)),
            )
        )
    return LogisticsInstance(
        "day", size.horizon, 2.0, tuple(nodes), tuple(links.values()), tuple(consignments)
    )


@dataclass(frozen=True)
class Row:
    """One size's measurements."""

    size: str
    pallets: int
    seconds: float
    objective: float
    bound: float
    optimal: bool
    baseline_seconds: float
    baseline_objective: float
    peak_mb: float = 0.0
    note: str = ""


def run(size: Size, seed: int, time_limit: float | None = None) -> Row:
    """Plan one seeded instance with HiGHS and with the baseline; validate both.

    Seconds are wall-clock from the call, model building included.
    """
    instance = generate(size, seed)
    started = time.perf_counter()
    exact = solve_route(instance, time_limit=time_limit or size.time_limit)
    seconds = time.perf_counter() - started
    baseline = baseline_route(instance)
    for plan in (exact, baseline):
        problems = validate_route(instance, plan)
        if problems:
            raise AssertionError(f"{size.name}: {problems[:3]}")
    return Row(
        size.name,
        sum(c.pallets for c in instance.consignments),
        seconds,
        exact.objective,
        exact.bound,
        exact.optimal,
        baseline.stats.seconds,
        baseline.objective,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        exact.stats.note,
    )


def run_apart(name: str, seed: int) -> Row:
    """`run` in a fresh process: the peak memory measured is this size's alone."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(run, SIZES[name], seed).result()


HEADERS = (
    "size",
    "pallets",
    "limit s",
    "planner s",
    "objective",
    "bound",
    "gap %",
    "peak MB",
    "baseline s",
    "baseline objective",
    "objective / baseline",
)


def cells(r: Row) -> list[str]:
    """A row's cells, ratios measured in the same run."""
    gap = 100 * (r.objective - r.bound) / r.objective if r.objective else 0.0
    return [
        r.size,
        f"{r.pallets:,}",
        f"{SIZES[r.size].time_limit:.0f}",
        f"{r.seconds:.2f}",
        f"{r.objective:,.0f}",
        f"{r.bound:,.0f}" + ("" if r.optimal else " (not proven)"),
        f"{gap:.3f}",
        f"{r.peak_mb:,.0f}",
        f"{r.baseline_seconds:.2f}",
        f"{r.baseline_objective:,.0f}",
        f"{r.objective / r.baseline_objective:.3f}" if r.baseline_objective else "-",
    ]


def main() -> None:
    """Run the sizes asked for and print (and optionally write) the table."""
    run_sizes(
        __doc__,
        "route benchmark",
        run_apart,
        cells,
        HEADERS,
        "Route planner (windows, relaxation, HiGHS) vs earliest-arrival baseline (same run)",
    )


if __name__ == "__main__":
    main()
