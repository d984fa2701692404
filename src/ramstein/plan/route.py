"""The route planner: a time-expanded integer multi-commodity flow solved with HiGHS.

The solve runs in public phases: `build_model` (route_model: the flow over each
commodity's time window), `solve_model` (route_solve: the relaxation, rounded within its
support, the integer model only if a gap remains), `read_back` (arc flows to movements
per consignment). `solve_route` runs them within a time limit: windows from which pallets
escape are widened and the model built and solved again while time is left; a second pass
that keeps the optimal cost and delivers as early as it can gets only what is left.

Time limits: the plan is returned within `time_limit` plus `limits.margin` (the larger
of 2 s and 5 %), model building included; a solve that runs out of time keeps the best plan
found (never worse than the baseline) and the bound proved so far.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.domain.plans import (
    ConsignmentOutcome,
    Movement,
    RoutePlan,
    SolveStats,
    SolveStatus,
)
from ramstein.plan.limits import Clock
from ramstein.plan.milp import MilpSolution, ProgressCallback
from ramstein.plan.route_model import (
    Group,
    Network,
    OutOfTime,
    RouteModel,
    build_model,
    first_windows,
    groups_of,
    lateness_cost,
    widen,
)
from ramstein.plan.route_solve import (
    Relaxation,
    earliest_among_optimal,
    proven,
    solve_model,
)

__all__ = [
    "Clock",
    "Network",
    "baseline_route",
    "build_model",
    "earliest_arrival_movements",
    "read_back",
    "solve_model",
    "solve_route",
]

INF = math.inf


def read_back(
    instance: LogisticsInstance, model: RouteModel, values: list[float]
) -> list[Movement]:
    """The read-back phase: a solution's arc flows as movements per consignment."""
    return decompose(instance, model, values)


def decompose(
    instance: LogisticsInstance, model: RouteModel, values: list[float]
) -> list[Movement]:
    """Turn arc flows into movements per consignment, giving early arrivals to those due first."""
    flows: dict[int, dict[tuple[str, int], list[tuple[str, int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    transit = {(k.source, k.target): k.transit for k in instance.links}
    for col, arc in model.arcs.items():
        units = round(values[col])
        if units > 0:
            arrive = arc.depart + transit[(arc.source, arc.target)]
            flows[arc.group][(arc.source, arc.depart)].append((arc.target, arrive, units))
    delivered: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for col, d in model.deliveries.items():
        units = round(values[col])
        if units > 0:
            delivered[d.group][d.arrive].append((d.member, units))
    movements: list[Movement] = []
    for g, group in enumerate(model.groups):
        out = flows.get(g)
        if not out:
            continue
        for path, units in _paths(out, group):
            arrive = path[-1][3]
            # Hand the path's pallets to the members delivered at this arrival.
            queue = delivered[g][arrive]
            while units > 0 and queue:
                m, want = queue[0]
                take = min(units, want)
                member = group.members[m]
                movements += [
                    Movement(member.id, u, v, dep, arr, take) for (u, v, dep, arr) in path
                ]
                units -= take
                if take == want:
                    queue.pop(0)
                else:
                    queue[0] = (m, want - take)
    return merge_movements(movements)


def _paths(
    out: dict[tuple[str, int], list[tuple[str, int, int]]], group: Group
) -> list[tuple[list[tuple[str, str, int, int]], int]]:
    """Paths from the origin to the destination carrying the flow, with their pallets.

    A pallet waits at a node until the earliest departure with flow left: with departures
    open from any later period, taking the earliest never strands another pallet.
    """
    remaining: dict[tuple[str, int], list[list[Any]]] = {
        key: [list(a) for a in arcs] for key, arcs in out.items()
    }
    departures: dict[str, list[int]] = defaultdict(list)
    for node, t in sorted(remaining):
        departures[node].append(t)
    paths: list[tuple[list[tuple[str, str, int, int]], int]] = []
    while True:
        legs: list[tuple[str, int, list[Any]]] = []
        node, now = group.origin, group.ready
        while node != group.destination:
            leg = next(
                (
                    (t, arc)
                    for t in departures.get(node, ())
                    if t >= now
                    for arc in remaining[(node, t)]
                    if arc[2] > 0
                ),
                None,
            )
            if leg is None:
                break
            t, arc = leg
            legs.append((node, t, arc))
            node, now = str(arc[0]), int(arc[1])
        if not legs or node != group.destination:
            return paths
        units = min(arc[2] for _, _, arc in legs)
        for _, _, arc in legs:
            arc[2] -= units
        paths.append(([(u, arc[0], t, arc[1]) for u, t, arc in legs], units))


def merge_movements(movements: list[Movement]) -> list[Movement]:
    """Movements summed per consignment, link and departure, in time order."""
    total: dict[tuple[str, str, str, int, int], int] = defaultdict(int)
    for m in movements:
        total[(m.consignment, m.source, m.target, m.depart, m.arrive)] += m.pallets
    return [
        Movement(c, u, v, dep, arr, n)
        for (c, u, v, dep, arr), n in sorted(total.items(), key=lambda kv: (kv[0][3], kv[0]))
    ]


def outcome(instance: LogisticsInstance, movements: list[Movement]) -> RoutePlan:
    """Objective, per-consignment outcomes and hub loads recomputed from movements."""
    by_id = {c.id: c for c in instance.consignments}
    hubs = list(instance.hubs)
    load = {h: [0] * instance.horizon for h in hubs}
    link_cost = {(k.source, k.target): k.cost for k in instance.links}
    arrivals: dict[str, list[tuple[int, int]]] = defaultdict(list)
    objective = 0.0
    for m in movements:
        objective += link_cost[(m.source, m.target)] * m.pallets
        if m.target in load:
            load[m.target][m.arrive] += m.pallets
        if m.target == by_id[m.consignment].destination:
            arrivals[m.consignment].append((m.arrive, m.pallets))
    outcomes = []
    for c in instance.consignments:
        got = sum(n for _, n in arrivals[c.id])
        late = sum(max(0, t - c.due) * n for t, n in arrivals[c.id])
        objective += sum(lateness_cost(instance, c, t) * n for t, n in arrivals[c.id])
        objective += lateness_cost(instance, c, None) * (c.pallets - got)
        outcomes.append(
            ConsignmentOutcome(
                c.id,
                got,
                c.pallets - got,
                max((t for t, _ in arrivals[c.id]), default=None),
                late,
            )
        )
    stats = SolveStats("recomputed", SolveStatus.HEURISTIC, objective, -INF, 0.0)
    return RoutePlan(
        objective=objective,
        bound=-INF,
        optimal=False,
        movements=tuple(movements),
        consignments=tuple(outcomes),
        hub_loads={h: tuple(v) for h, v in load.items()},
        stats=stats,
    )


def _finish(instance: LogisticsInstance, movements: list[Movement], stats: SolveStats) -> RoutePlan:
    recomputed = outcome(instance, movements)
    optimal = stats.status is SolveStatus.OPTIMAL
    bound = recomputed.objective if optimal else min(stats.bound, recomputed.objective)
    return RoutePlan(
        objective=recomputed.objective,
        bound=bound,
        optimal=optimal,
        movements=recomputed.movements,
        consignments=recomputed.consignments,
        hub_loads=recomputed.hub_loads,
        stats=stats,
    )


@dataclass
class Flows:
    """A solved model: its best point and bound, the relaxation kept for a second pass."""

    model: RouteModel
    solution: MilpSolution
    relaxation: Relaxation


def plan_flows(
    instance: LogisticsInstance,
    network: Network,
    clock: Clock,
    reserve: float,
    on_progress: ProgressCallback | None = None,
) -> Flows | None:
    """Build and solve over windows, widening those pallets escape from, while time lasts.

    The bound of a model over windows bounds the whole model: it is kept whatever the
    windows. Returns the last model solved with a point (None if none was in time).
    """
    groups_last = None
    best: Flows | None = None
    while True:
        round_started = clock.spent()
        last = groups_last or _first(instance, network)
        left = clock.left(reserve)
        deadline = None if left is None else time.perf_counter() + left
        try:
            model = build_model(instance, network, last, deadline=deadline)
        except OutOfTime:
            return best
        solution, relaxation = solve_model(
            model,
            time_limit=clock.left(reserve),
            on_progress=on_progress,
            warm=None if best is None else best.relaxation,
        )
        if solution.values is None:
            return best
        best = Flows(model, solution, relaxation)
        lp = relaxation.solution.values
        assert lp is not None
        escaping = {key.group for key, col in model.escaped.items() if lp[col] > 1e-6}
        escaping |= {key.group for key, col in model.escaped.items() if solution.values[col] > 0.5}
        # Another round (building included) takes about as long as this one took, less
        # what the warm start saves: not worth starting with less than half of that left.
        left = clock.left(reserve)
        if not escaping or (left is not None and left < 0.5 * (clock.spent() - round_started)):
            return best
        groups_last = widen(instance, model, escaping)


def _first(instance: LogisticsInstance, network: Network) -> list[int]:
    return first_windows(instance, network, groups_of(instance))


def solve_route(
    instance: LogisticsInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    early: bool = True,
) -> RoutePlan:
    """The cheapest route plan HiGHS proves (or finds within `time_limit`), with its bound.

    With `early`, a proven optimum is followed by a second solve that keeps its cost and
    delivers as early as it can (readiness dates depend on arrivals, not only on cost);
    it gets only the time left, and is skipped with a note in the stats when none is.
    """
    clock = Clock(time_limit)
    instance.check()
    network = Network(instance)
    # Kept for turning flows into movements and checking them after the solves.
    reserve = 0.0 if time_limit is None else min(4.0, 0.03 * time_limit)
    baseline = earliest_arrival_movements(instance, network)
    floor = trivial_bound(instance, network)
    flows = plan_flows(instance, network, clock, reserve, on_progress)
    if flows is None:
        note = "no plan from HiGHS within the time limit: the baseline's plan"
        cost = outcome(instance, baseline).objective
        stats = SolveStats("highs", SolveStatus.TIME_LIMIT, cost, floor, clock.spent(), note)
        return _finish(instance, baseline, stats)
    solution, model = flows.solution, flows.model
    assert solution.values is not None
    escaped = any(solution.values[col] > 0.5 for col in model.escaped.values())
    optimal = not escaped and proven(solution.objective, solution.bound)
    note = ""
    if early and optimal:
        solution, note = second_pass(flows, clock.left(reserve))
    assert solution.values is not None
    movements = read_back(instance, model, solution.values)
    if not optimal:
        movements = repair(instance, network, movements)
        if outcome(instance, movements).objective > outcome(instance, baseline).objective:
            movements = baseline  # a plan cut short is never worse than the baseline
    status = SolveStatus.OPTIMAL if optimal else _stopped(solution.status)
    bound = max(solution.bound, floor)
    stats = SolveStats("highs", status, solution.objective, bound, clock.spent(), note)
    return _finish(instance, movements, stats)


def second_pass(flows: Flows, left: float | None) -> tuple[MilpSolution, str]:
    """The earliest-delivery pass over an optimal solution, in the `left` seconds left.

    Returns the solution to keep and a note when the pass was skipped or fell short.
    """
    if left is not None and left <= 0.0:
        return flows.solution, "earliest-delivery pass skipped: no time left"
    second = earliest_among_optimal(flows.relaxation, flows.solution, left)
    if second is None:
        return flows.solution, "earliest-delivery pass found nothing in the time left"
    return second, ""


def trivial_bound(instance: LogisticsInstance, network: Network) -> float:
    """A bound that ignores capacity: each pallet by its cheapest, earliest way, or none."""
    total = 0.0
    for c in instance.consignments:
        soonest = network.from_node(c.origin).get(c.destination)
        never = lateness_cost(instance, c, None)
        best = never
        if soonest is not None and c.ready + soonest < instance.horizon:
            cheapest = network.cheapest(c.origin, c.destination)
            best = min(never, cheapest + lateness_cost(instance, c, c.ready + soonest))
        total += c.pallets * best
    return total


def repair(
    instance: LogisticsInstance, network: Network, movements: list[Movement]
) -> list[Movement]:
    """A plan with its undelivered pallets sent, where capacity is left and it pays."""
    delivered: dict[str, int] = defaultdict(int)
    destination = {c.id: c.destination for c in instance.consignments}
    for m in movements:
        if m.target == destination[m.consignment]:
            delivered[m.consignment] += m.pallets
    left = {c.id: c.pallets - delivered[c.id] for c in instance.consignments}
    more = earliest_arrival_movements(instance, network, used=movements, pallets=left)
    return merge_movements([*movements, *more]) if more else movements


def _stopped(status: SolveStatus) -> SolveStatus:
    return SolveStatus.TIME_LIMIT if status is SolveStatus.OPTIMAL else status


def earliest_arrival_movements(
    instance: LogisticsInstance,
    network: Network | None = None,
    *,
    used: Sequence[Movement] = (),
    pallets: Mapping[str, int] | None = None,
) -> list[Movement]:
    """The baseline: consignments by priority, each sent by earliest-arrival paths in turn.

    With `pallets`, only those (per consignment) are sent, each path only if it costs less
    than not delivering, after `used` movements took their capacity: the repair of a plan
    that left pallets behind.
    """
    network = network or Network(instance)
    hubs = network.hubs
    link_left: dict[tuple[str, str, int], int] = defaultdict(int)
    hub_left: dict[tuple[str, int], int] = defaultdict(int)
    for m in used:
        link_left[(m.source, m.target, m.depart)] -= m.pallets
        if m.target in hubs:
            hub_left[(m.target, m.arrive)] -= m.pallets

    def link_room(u: str, v: str, t: int) -> int:
        return network.capacity[(u, v)] + link_left.get((u, v, t), 0)

    def hub_room(v: str, t: int) -> int:
        limit = instance.throughput(v, t) if v in hubs else None
        return (1 << 60 if limit is None else limit) + hub_left.get((v, t), 0)

    link_cost = {(k.source, k.target): k.cost for k in instance.links}
    movements: list[Movement] = []
    order = sorted(instance.consignments, key=lambda c: (-c.priority, c.due, c.id))
    for c in order:
        remaining = c.pallets if pallets is None else pallets.get(c.id, 0)
        while remaining > 0:
            path = _earliest_path(c, network, instance.horizon, link_room, hub_room)
            if path is None:
                break
            u, v, t = path[-1]
            arrive = t + network.transit[(u, v)]
            cost = sum(link_cost[(u, v)] for u, v, _ in path)
            if pallets is not None and cost + lateness_cost(instance, c, arrive) >= lateness_cost(
                instance, c, None
            ):
                break
            units = min(
                remaining,
                *(
                    min(link_room(u, v, t), hub_room(v, t + network.transit[(u, v)]))
                    for u, v, t in path
                ),
            )
            for u, v, t in path:
                arrive = t + network.transit[(u, v)]
                link_left[(u, v, t)] -= units
                if v in hubs:
                    hub_left[(v, arrive)] -= units
                movements.append(Movement(c.id, u, v, t, arrive, units))
            remaining -= units
    return merge_movements(movements)


def _earliest_path(
    c: Consignment,
    network: Network,
    horizon: int,
    link_room: Any,
    hub_room: Any,
) -> list[tuple[str, str, int]] | None:
    """Earliest-arrival path for one more pallet of `c` with room on every link and hub."""
    best = {c.origin: c.ready}
    previous: dict[str, tuple[str, int]] = {}
    heap = [(c.ready, c.origin)]
    done: set[str] = set()
    while heap:
        now, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u == c.destination:
            break
        for v, transit, _, _ in network.out.get(u, ()):
            for t in range(now, horizon - transit):
                if link_room(u, v, t) > 0 and hub_room(v, t + transit) > 0:
                    if t + transit < best.get(v, horizon):
                        best[v] = t + transit
                        previous[v] = (u, t)
                        heapq.heappush(heap, (t + transit, v))
                    break
    if c.destination not in previous:
        return None
    path = []
    node = c.destination
    while node != c.origin:
        u, t = previous[node]
        path.append((u, node, t))
        node = u
    return path[::-1]


def baseline_route(instance: LogisticsInstance) -> RoutePlan:
    """The baseline's plan (earliest arrival, one consignment at a time, by priority)."""
    instance.check()
    started = time.perf_counter()
    movements = earliest_arrival_movements(instance)
    plan = outcome(instance, movements)
    stats = SolveStats(
        "earliest-arrival",
        SolveStatus.HEURISTIC,
        plan.objective,
        -INF,
        time.perf_counter() - started,
    )
    return _finish(instance, movements, stats)
