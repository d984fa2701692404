"""The route planner: a time-expanded integer multi-commodity flow solved with HiGHS.

Pallets that share origin, destination and ready period are interchangeable, so each
such group is one commodity; its consignments (which may differ in due period and
priority) only part ways at the destination, where deliveries are split between them.
Arcs that cannot lead to the destination within the horizon are never built.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.domain.plans import (
    ConsignmentOutcome,
    Movement,
    RoutePlan,
    SolveStats,
    SolveStatus,
)
from ramstein.plan.highs import solve_highs
from ramstein.plan.milp import Milp, MilpSolution, ProgressCallback

INF = math.inf
RESERVE = 0.08  # share of a time limit kept for decomposing the flow after the solves


@dataclass
class Network:
    """The static network: outgoing links per node and shortest transits."""

    instance: LogisticsInstance
    out: dict[str, list[tuple[str, int, int, float]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.out = defaultdict(list)
        for link in self.instance.links:
            self.out[link.source].append((link.target, link.transit, link.capacity, link.cost))
        self.capacity = {(k.source, k.target): k.capacity for k in self.instance.links}
        self.cost = {(k.source, k.target): k.cost for k in self.instance.links}
        self.transit = {(k.source, k.target): k.transit for k in self.instance.links}
        self._from: dict[str, dict[str, int]] = {}
        self._to: dict[str, dict[str, int]] = {}

    def from_node(self, source: str) -> dict[str, int]:
        """Least total transit from `source` to every node it reaches."""
        if source not in self._from:
            self._from[source] = _dijkstra(source, self.out)
        return self._from[source]

    def to_node(self, target: str) -> dict[str, int]:
        """Least total transit to `target` from every node that reaches it."""
        if target not in self._to:
            back: dict[str, list[tuple[str, int, int, float]]] = defaultdict(list)
            for k in self.instance.links:
                back[k.target].append((k.source, k.transit, k.capacity, k.cost))
            self._to[target] = _dijkstra(target, back)
        return self._to[target]


def _dijkstra(start: str, edges: dict[str, list[tuple[str, int, int, float]]]) -> dict[str, int]:
    dist = {start: 0}
    heap = [(0, start)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        for nxt, transit, _, _ in edges.get(node, ()):
            if d + transit < dist.get(nxt, 1 << 30):
                dist[nxt] = d + transit
                heapq.heappush(heap, (d + transit, nxt))
    return dist


def lateness_cost(instance: LogisticsInstance, c: Consignment, arrival: int | None) -> float:
    """Cost of one pallet of `c` arriving in `arrival` (None: not delivered in the horizon)."""
    if arrival is None:
        return instance.late_weight * c.priority * (instance.horizon - c.due)
    return instance.late_weight * c.priority * max(0, arrival - c.due)


@dataclass
class Group:
    """Consignments sharing origin, destination and ready period: one commodity."""

    origin: str
    destination: str
    ready: int
    members: list[Consignment]

    @property
    def pallets(self) -> int:
        """The group's pallets."""
        return sum(c.pallets for c in self.members)


def groups_of(instance: LogisticsInstance) -> list[Group]:
    """The commodities of an instance."""
    grouped: dict[tuple[str, str, int], list[Consignment]] = defaultdict(list)
    for c in instance.consignments:
        grouped[(c.origin, c.destination, c.ready)].append(c)
    return [Group(o, d, r, members) for (o, d, r), members in grouped.items()]


@dataclass
class RouteModel:
    """The integer model and the meaning of its columns."""

    milp: Milp
    groups: list[Group]
    arcs: dict[int, tuple[int, str, str, int]]  # column -> (group, from, to, depart)
    deliveries: dict[int, tuple[int, int, int]]  # column -> (group, member, arrival)
    storage: dict[tuple[int, str, int], int] = field(default_factory=dict)
    undelivered: dict[tuple[int, int], int] = field(default_factory=dict)


def build_model(instance: LogisticsInstance, network: Network) -> RouteModel:
    """Minimise movement cost plus weighted lateness subject to conservation and capacities."""
    horizon = instance.horizon
    milp = Milp(sense="min")
    groups = groups_of(instance)
    arcs: dict[int, tuple[int, str, str, int]] = {}
    deliveries: dict[int, tuple[int, int, int]] = {}
    storage: dict[tuple[int, str, int], int] = {}
    undelivered_cols: dict[tuple[int, int], int] = {}
    link_use: dict[tuple[str, str, int], dict[int, float]] = defaultdict(dict)
    hub_use: dict[tuple[str, int], dict[int, float]] = defaultdict(dict)
    hubs = set(instance.hubs)

    for g, group in enumerate(groups):
        reach = network.from_node(group.origin)
        left = network.to_node(group.destination)
        # balance[(node, t)]: column -> coefficient of (inflow - outflow) at that node-time.
        balance: dict[tuple[str, int], dict[int, float]] = defaultdict(dict)
        arrivals: dict[int, dict[int, float]] = defaultdict(dict)
        for u, earliest in reach.items():
            if u == group.destination or u not in left:
                continue
            first = group.ready + earliest
            last_wait = horizon - 1 - left[u]
            for t in range(first, last_wait):
                col = milp.add_var(f"s[{g},{u},{t}]")
                storage[(g, u, t)] = col
                balance[(u, t)][col] = -1.0
                balance[(u, t + 1)][col] = 1.0
            for v, transit, _, cost in network.out.get(u, ()):
                if v not in left:
                    continue
                for t in range(first, horizon - transit - left[v]):
                    arrive = t + transit
                    col = milp.add_var(f"x[{g},{u},{v},{t}]", cost=cost)
                    arcs[col] = (g, u, v, t)
                    balance[(u, t)][col] = -1.0
                    link_use[(u, v, t)][col] = 1.0
                    if v in hubs:
                        hub_use[(v, arrive)][col] = 1.0
                    if v == group.destination:
                        arrivals[arrive][col] = 1.0
                    else:
                        balance[(v, arrive)][col] = 1.0
        # Supply: the group's pallets appear at the origin in its ready period, except those
        # never delivered (they stay where they are, costing the undelivered penalty).
        undelivered = []
        for m, c in enumerate(group.members):
            col = milp.add_var(
                f"u[{g},{m}]", cost=lateness_cost(instance, c, None), upper=c.pallets
            )
            undelivered_cols[(g, m)] = col
            undelivered.append(col)
        supply = balance[(group.origin, group.ready)]
        for col in undelivered:
            supply[col] = -1.0
        for (node, t), row in balance.items():
            # inflow - outflow = 0, but at the origin in the ready period, where the
            # outflow is the pallets less those never delivered: -out - undelivered = -pallets.
            rhs = -float(group.pallets) if (node, t) == (group.origin, group.ready) else 0.0
            milp.add_row(row, lower=rhs, upper=rhs)
        # Deliveries per member: the arrivals split between the group's consignments.
        per_member: dict[int, dict[int, float]] = defaultdict(dict)
        for arrive, row in sorted(arrivals.items()):
            split: dict[int, float] = dict.fromkeys(row, 1.0)
            for m, c in enumerate(group.members):
                col = milp.add_var(f"d[{g},{m},{arrive}]", cost=lateness_cost(instance, c, arrive))
                deliveries[col] = (g, m, arrive)
                split[col] = -1.0
                per_member[m][col] = 1.0
            milp.add_row(split, lower=0.0, upper=0.0)
        for m, c in enumerate(group.members):
            row = dict(per_member[m])
            row[undelivered[m]] = 1.0
            milp.add_row(row, lower=c.pallets, upper=c.pallets)

    for (u, v, _), row in link_use.items():
        milp.add_row(row, upper=network.capacity[(u, v)])
    for (hub, t), row in hub_use.items():
        limit = instance.throughput(hub, t)
        if limit is not None:
            milp.add_row(row, upper=limit)
    return RouteModel(milp, groups, arcs, deliveries, storage, undelivered_cols)


def start_from(
    instance: LogisticsInstance, model: RouteModel, movements: list[Movement]
) -> list[float] | None:
    """The model's variable values for a plan's movements (None if the model lacks an arc)."""
    values = [0.0] * len(model.milp.names)
    arc_col = {key: col for col, key in model.arcs.items()}
    delivery_col = {key: col for col, key in model.deliveries.items()}
    where = {}
    for g, group in enumerate(model.groups):
        for m, c in enumerate(group.members):
            where[c.id] = (g, m, c)
    # Per group and node: pallets present after each period, to fill the storage columns.
    present: dict[tuple[int, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    delivered: dict[str, int] = defaultdict(int)
    for mv in movements:
        g, m, c = where[mv.consignment]
        col = arc_col.get((g, mv.source, mv.target, mv.depart))
        if col is None:
            return None
        values[col] += mv.pallets
        present[(g, mv.source)][mv.depart] -= mv.pallets
        if mv.target == c.destination:
            dcol = delivery_col.get((g, m, mv.arrive))
            if dcol is None:
                return None
            values[dcol] += mv.pallets
            delivered[c.id] += mv.pallets
        else:
            present[(g, mv.target)][mv.arrive] += mv.pallets
    for g, group in enumerate(model.groups):
        for m, c in enumerate(group.members):
            values[model.undelivered[(g, m)]] = c.pallets - delivered[c.id]
        present[(g, group.origin)][group.ready] += group.pallets - sum(
            c.pallets - delivered[c.id] for c in group.members
        )
    for (g, node), changes in present.items():
        level = 0
        for t in range(instance.horizon):
            level += changes.get(t, 0)
            col = model.storage.get((g, node, t))
            if col is not None:
                values[col] = level
            elif level and t < instance.horizon - 1 and (g, node, t + 1) in model.storage:
                return None
    return values


def decompose(
    instance: LogisticsInstance, model: RouteModel, values: list[float]
) -> list[Movement]:
    """Turn arc flows into movements per consignment, giving early arrivals to those due first."""
    flows: dict[int, dict[tuple[str, int], list[tuple[str, int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    transit = {(k.source, k.target): k.transit for k in instance.links}
    for col, (g, u, v, t) in model.arcs.items():
        units = round(values[col])
        if units > 0:
            flows[g][(u, t)].append((v, t + transit[(u, v)], units))
    delivered: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for col, (g, m, arrive) in model.deliveries.items():
        units = round(values[col])
        if units > 0:
            delivered[g][arrive].append((m, units))
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
    hubs = instance.hubs
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


def solve_route(
    instance: LogisticsInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    early: bool = True,
) -> RoutePlan:
    """The cheapest route plan HiGHS proves (or finds within `time_limit`), with its bound.

    With `early`, a proven optimum is followed by a second solve that keeps its cost and
    delivers as early as it can: readiness dates depend on arrivals, not only on cost.
    """
    started = time.perf_counter()

    def left() -> float | None:
        return (
            None if time_limit is None else max(0.0, time_limit - (time.perf_counter() - started))
        )

    instance.check()
    network = Network(instance)
    model = build_model(instance, network)
    # The baseline's plan is a feasible start: HiGHS never returns worse than the baseline.
    baseline = earliest_arrival_movements(instance, network)
    solution = solve_highs(
        model.milp,
        time_limit=left(),
        on_progress=on_progress,
        start=start_from(instance, model, baseline),
    )
    # The second pass leaves a reserve for turning flows into movements within the limit.
    budget = left()
    budget = None if budget is None else budget - RESERVE * (time_limit or 0.0)
    if early and solution.status is SolveStatus.OPTIMAL and (budget is None or budget >= 1.0):
        solution = _earliest_among_optimal(model, solution, budget)
    # Without an incumbent within the limit: the baseline's plan, with the bound HiGHS proved.
    values = solution.values
    movements = baseline if values is None else decompose(instance, model, values)
    stats = SolveStats(
        solution.solver,
        solution.status,
        solution.objective,
        solution.bound,
        time.perf_counter() - started,
    )
    return _finish(instance, movements, stats)


def _earliest_among_optimal(
    model: RouteModel, first: MilpSolution, time_limit: float | None
) -> MilpSolution:
    """Among plans of the optimal cost, one with the least total delivery time."""
    milp = model.milp
    slack = 1e-9 * max(1.0, abs(first.objective))
    second = replace(
        milp,
        cost=[0.0] * len(milp.cost),
        rows=[
            *milp.rows,
            (list(range(len(milp.cost))), list(milp.cost), -INF, first.objective + slack),
        ],
    )
    for col, (_, _, arrive) in model.deliveries.items():
        second.cost[col] = float(arrive)
    result = solve_highs(second, time_limit=time_limit, start=first.values)
    if result.values is None:
        return first
    return replace(first, values=result.values, seconds=first.seconds + result.seconds)


def earliest_arrival_movements(
    instance: LogisticsInstance, network: Network | None = None
) -> list[Movement]:
    """The baseline: consignments by priority, each sent by earliest-arrival paths in turn."""
    network = network or Network(instance)
    horizon = instance.horizon
    link_left: dict[tuple[str, str, int], int] = {}
    hub_left: dict[tuple[str, int], int] = {}

    def link_room(u: str, v: str, t: int) -> int:
        return link_left.get((u, v, t), network.capacity[(u, v)])

    def hub_room(v: str, t: int) -> int:
        limit = instance.throughput(v, t) if v in hubs else None
        return hub_left.get((v, t), limit if limit is not None else 1 << 60)

    hubs = set(instance.hubs)
    movements: list[Movement] = []
    order = sorted(instance.consignments, key=lambda c: (-c.priority, c.due, c.id))
    for c in order:
        remaining = c.pallets
        while remaining > 0:
            path = _earliest_path(c, network, horizon, link_room, hub_room)
            if path is None:
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
                link_left[(u, v, t)] = link_room(u, v, t) - units
                if v in hubs:
                    hub_left[(v, arrive)] = hub_room(v, arrive) - units
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
