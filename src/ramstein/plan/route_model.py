"""The route planner's integer model: a time-expanded multi-commodity flow over windows.

Pallets that share origin, destination and ready period are interchangeable, so each
such group is one commodity; its consignments (which may differ in due period and
priority) only part ways at the destination, where deliveries are split between them.
Arcs that cannot lead to the destination within the horizon are never built.

Each commodity is modelled up to the last period of its window. Pallets that would arrive
later "escape": they leave at once at a cost that no real later arrival undercuts (the
lateness of the first period past the window plus the cheapest path's cost) and use no
capacity. A model with windows is therefore a relaxation of the whole one, and a plan in
which nothing escapes is a plan of the whole model: optimal for it if optimal here.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.plan.milp import Milp

Edges = dict[str, list[tuple[str, int, int, float]]]


@dataclass
class Network:
    """The static network: outgoing links per node, shortest transits and cheapest costs."""

    instance: LogisticsInstance
    out: Edges = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.out = defaultdict(list)
        back: Edges = defaultdict(list)
        for link in self.instance.links:
            self.out[link.source].append((link.target, link.transit, link.capacity, link.cost))
            back[link.target].append((link.source, link.transit, link.capacity, link.cost))
        self.back = back
        self.capacity = {(k.source, k.target): k.capacity for k in self.instance.links}
        self.transit = {(k.source, k.target): k.transit for k in self.instance.links}
        self.hubs = set(self.instance.hubs)
        self._from: dict[str, dict[str, int]] = {}
        self._to: dict[str, dict[str, int]] = {}
        self._cheapest: dict[str, dict[str, float]] = {}

    def from_node(self, source: str) -> dict[str, int]:
        """Least total transit from `source` to every node it reaches."""
        if source not in self._from:
            self._from[source] = {k: int(v) for k, v in _dijkstra(source, self.out, 1).items()}
        return self._from[source]

    def to_node(self, target: str) -> dict[str, int]:
        """Least total transit to `target` from every node that reaches it."""
        if target not in self._to:
            self._to[target] = {k: int(v) for k, v in _dijkstra(target, self.back, 1).items()}
        return self._to[target]

    def cheapest(self, source: str, target: str) -> float:
        """The least cost of moving one pallet from `source` to `target` (inf: no path)."""
        if source not in self._cheapest:
            self._cheapest[source] = _dijkstra(source, self.out, 3)
        return self._cheapest[source].get(target, float("inf"))


def _dijkstra(start: str, edges: Edges, by: int) -> dict[str, float]:
    """Least sums of each edge's field `by` (1: transit, 3: cost) from `start`."""
    dist = {start: 0.0}
    heap = [(0.0, start)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        for edge in edges.get(node, ()):
            nd = d + (edge[1] if by == 1 else edge[3])
            if nd < dist.get(edge[0], float("inf")):
                dist[edge[0]] = nd
                heapq.heappush(heap, (nd, edge[0]))
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


class Arc(NamedTuple):
    """Group `group`'s pallets leaving `source` for `target` in period `depart`."""

    group: int
    source: str
    target: str
    depart: int


class Delivery(NamedTuple):
    """Group `group`'s pallets arriving in `arrive`, counted for its member `member`."""

    group: int
    member: int
    arrive: int


class Hold(NamedTuple):
    """Group `group`'s pallets waiting at `node` from period `period` to the next."""

    group: int
    node: str
    period: int


class Member(NamedTuple):
    """Member `member` (a consignment) of group `group`."""

    group: int
    member: int


@dataclass
class RouteModel:
    """The integer model, the window of each group and the meaning of its columns."""

    milp: Milp
    groups: list[Group]
    last: list[int]  # per group: the last arrival period modelled
    arcs: dict[int, Arc] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    storage: dict[Hold, int] = field(default_factory=dict)
    undelivered: dict[Member, int] = field(default_factory=dict)
    escaped: dict[Member, int] = field(default_factory=dict)


# Periods past the latest due date (or the earliest possible arrival) a window first spans.
SLACK = 5


def first_windows(instance: LogisticsInstance, network: Network, groups: list[Group]) -> list[int]:
    """Each group's first window: its latest due date (or earliest arrival) plus SLACK."""
    last = []
    for group in groups:
        soonest = group.ready + network.from_node(group.origin).get(group.destination, 0)
        due = max(c.due for c in group.members)
        last.append(min(instance.horizon - 1, max(due, soonest) + SLACK))
    return last


def widen(instance: LogisticsInstance, model: RouteModel, groups: set[int]) -> list[int]:
    """The windows with those of `groups` opened to the horizon (nothing escapes them)."""
    return [instance.horizon - 1 if g in groups else end for g, end in enumerate(model.last)]


class OutOfTime(Exception):
    """Building a model ran past its deadline."""


def build_model(
    instance: LogisticsInstance,
    network: Network,
    last: Sequence[int] | None = None,
    *,
    deadline: float | None = None,
) -> RouteModel:
    """Minimise movement cost plus weighted lateness subject to conservation and capacities.

    `last` is each group's window (default: the horizon, the whole model). Past `deadline`
    (a `time.perf_counter()` reading) building stops with OutOfTime.
    """
    groups = groups_of(instance)
    ends = list(last) if last is not None else [instance.horizon - 1] * len(groups)
    model = RouteModel(Milp(sense="min"), groups, ends)
    link_use: dict[tuple[str, str, int], dict[int, float]] = defaultdict(dict)
    hub_use: dict[tuple[str, int], dict[int, float]] = defaultdict(dict)
    for g in range(len(groups)):
        if deadline is not None and time.perf_counter() > deadline:
            raise OutOfTime(f"model building stopped at group {g} of {len(groups)}")
        _add_group(instance, network, model, g, link_use, hub_use)
    for (u, v, t), row in link_use.items():
        model.milp.add_row(row, upper=network.capacity[(u, v)], name=f"link[{u}>{v},{t}]")
    for (hub, t), row in hub_use.items():
        limit = instance.throughput(hub, t)
        if limit is not None:
            model.milp.add_row(row, upper=limit, name=f"hub[{hub},{t}]")
    return model


def _add_group(
    instance: LogisticsInstance,
    network: Network,
    model: RouteModel,
    g: int,
    link_use: dict[tuple[str, str, int], dict[int, float]],
    hub_use: dict[tuple[str, int], dict[int, float]],
) -> None:
    """One commodity's columns and rows: flows, storage, supply and deliveries."""
    milp, group, end = model.milp, model.groups[g], model.last[g]
    left = network.to_node(group.destination)
    # balance[(node, t)]: column -> coefficient of (inflow - outflow) at that node-time.
    balance: dict[tuple[str, int], dict[int, float]] = defaultdict(dict)
    arrivals: dict[int, dict[int, float]] = defaultdict(dict)
    for u, earliest in network.from_node(group.origin).items():
        if u == group.destination or u not in left:
            continue
        first = group.ready + earliest
        for t in range(first, end - left[u]):
            col = milp.add_var(f"s[{g},{u},{t}]")
            model.storage[Hold(g, u, t)] = col
            balance[(u, t)][col] = -1.0
            balance[(u, t + 1)][col] = 1.0
        for v, transit, _, cost in network.out.get(u, ()):
            if v not in left:
                continue
            for t in range(first, end + 1 - transit - left[v]):
                col = milp.add_var(f"x[{g},{u},{v},{t}]", cost=cost)
                model.arcs[col] = Arc(g, u, v, t)
                balance[(u, t)][col] = -1.0
                link_use[(u, v, t)][col] = 1.0
                if v in network.hubs:
                    hub_use[(v, t + transit)][col] = 1.0
                if v == group.destination:
                    arrivals[t + transit][col] = 1.0
                else:
                    balance[(v, t + transit)][col] = 1.0
    members = _add_members(instance, network, model, g)
    # Supply: the group's pallets appear at the origin in its ready period, except those
    # never delivered or escaping the window (they leave the network there).
    supply = balance[(group.origin, group.ready)]
    for cols in members:
        for col in cols:
            supply[col] = -1.0
    for (node, t), row in balance.items():
        # inflow - outflow = 0, but -pallets at the origin in the ready period.
        rhs = -float(group.pallets) if (node, t) == (group.origin, group.ready) else 0.0
        milp.add_row(row, lower=rhs, upper=rhs, name=f"flow[{g},{node},{t}]")
    _add_deliveries(instance, model, g, arrivals, members)


def _add_members(
    instance: LogisticsInstance, network: Network, model: RouteModel, g: int
) -> list[list[int]]:
    """Per member: its undelivered column and, with a window short of the horizon, escape."""
    milp, group, end = model.milp, model.groups[g], model.last[g]
    cheapest = network.cheapest(group.origin, group.destination)
    members = []
    for m, c in enumerate(group.members):
        never = lateness_cost(instance, c, None)
        col = milp.add_var(f"u[{g},{m}]", cost=never, upper=c.pallets)
        model.undelivered[Member(g, m)] = col
        cols = [col]
        # Every member has its escape column, closed where nothing can escape, so that
        # models over wider windows keep the names of the narrower one's columns.
        later = lateness_cost(instance, c, end + 1) + cheapest
        opened = end < instance.horizon - 1 and later < never
        col = milp.add_var(
            f"e[{g},{m}]", cost=later if opened else 0.0, upper=c.pallets if opened else 0.0
        )
        model.escaped[Member(g, m)] = col
        cols.append(col)
        members.append(cols)
    return members


def _add_deliveries(
    instance: LogisticsInstance,
    model: RouteModel,
    g: int,
    arrivals: dict[int, dict[int, float]],
    members: list[list[int]],
) -> None:
    """The arrivals split between the group's members, each member's pallets accounted for."""
    milp, group = model.milp, model.groups[g]
    per_member: list[dict[int, float]] = [dict.fromkeys(cols, 1.0) for cols in members]
    for arrive, row in sorted(arrivals.items()):
        split: dict[int, float] = dict.fromkeys(row, 1.0)
        for m, c in enumerate(group.members):
            col = milp.add_var(f"d[{g},{m},{arrive}]", cost=lateness_cost(instance, c, arrive))
            model.deliveries[col] = Delivery(g, m, arrive)
            split[col] = -1.0
            per_member[m][col] = 1.0
        milp.add_row(split, lower=0.0, upper=0.0, name=f"split[{g},{arrive}]")
    for m, c in enumerate(group.members):
        milp.add_row(per_member[m], lower=c.pallets, upper=c.pallets, name=f"member[{g},{m}]")
