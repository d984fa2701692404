"""The match planner: an exact integer model over items, solved with HiGHS.

Offered units of one item are interchangeable for the score, so the model counts units
per item (delivered per requirement, assembled per assembly) rather than pairing offers
with requirements; sources are drawn from the offers afterwards, donor by donor.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ramstein.domain.items import MatchInstance, Requirement, topological_order
from ramstein.domain.plans import MatchPlan, RequirementPlan, SolveStats, SolveStatus, Source
from ramstein.plan.bom import Bom, Pool, merge_sources
from ramstein.plan.highs import solve_highs
from ramstein.plan.limits import Clock
from ramstein.plan.milp import Milp, ProgressCallback

# Delivered units per requirement, per acceptable item.
Allocation = dict[str, dict[str, int]]


@dataclass(frozen=True)
class MatchModel:
    """The integer model; requirements alike in items and priority share their variables."""

    milp: Milp
    groups: list[list[Requirement]]
    delivered: dict[tuple[int, str], int]
    assembled: dict[str, int]


def offered_units(instance: MatchInstance) -> dict[str, int]:
    """Per item, the units offered by all donors together."""
    offered: dict[str, int] = defaultdict(int)
    for o in instance.offers:
        offered[o.item] += o.quantity
    return offered


def potential(instance: MatchInstance, bom: Bom) -> dict[str, int]:
    """Per item, the most units the offers could ever supply (ignoring competition)."""
    offered = offered_units(instance)
    result: dict[str, int] = {}
    for item_id in reversed(topological_order(instance.items)):
        item = bom.catalog[item_id]
        built = min(result[c.item] // c.quantity for c in item.components) if item.components else 0
        result[item_id] = offered[item_id] + built
    return result


def build_model(instance: MatchInstance, bom: Bom | None = None) -> MatchModel:
    """Maximise priority-weighted units: per item, units used <= offered + assembled."""
    bom = bom or Bom(instance.items)
    cap = potential(instance, bom)
    milp = Milp()
    delivered: dict[tuple[int, str], int] = {}
    usage: dict[str, dict[int, float]] = defaultdict(dict)
    # Requirements for the same items at the same priority are interchangeable: one
    # variable per group removes the symmetry the branch-and-bound would otherwise explore.
    grouped: dict[tuple[tuple[str, ...], float], list[Requirement]] = defaultdict(list)
    for r in instance.requirements:
        grouped[(tuple(dict.fromkeys(r.acceptable)), r.priority)].append(r)
    groups = list(grouped.values())
    for g, members in enumerate(groups):
        quantity = sum(r.quantity for r in members)
        columns = {}
        for item in dict.fromkeys(members[0].acceptable):
            upper = min(quantity, cap[item])
            if upper <= 0:
                continue
            col = milp.add_var(f"y[{members[0].id}+,{item}]", cost=members[0].priority, upper=upper)
            delivered[(g, item)] = col
            usage[item][col] = 1.0
            columns[col] = 1.0
        if len(columns) > 1:
            milp.add_row(columns, upper=quantity, name=f"quantity[{members[0].id}+]")
    # Assemblies reachable from a requirement get an "assembled" count.
    reachable: set[str] = set()
    for target in {i for (_, i) in delivered}:
        reachable.update(bom.closure(target))
    offered = offered_units(instance)
    assembled: dict[str, int] = {}
    for item_id in sorted(reachable):
        components = bom.catalog[item_id].components
        if not components or cap[item_id] - offered[item_id] <= 0:
            continue
        col = milp.add_var(f"a[{item_id}]", upper=cap[item_id] - offered[item_id])
        assembled[item_id] = col
        usage[item_id][col] = usage[item_id].get(col, 0.0) - 1.0
        for c in components:
            usage[c.item][col] = usage[c.item].get(col, 0.0) + c.quantity
    for item_id in sorted(usage):
        milp.add_row(usage[item_id], upper=offered[item_id], name=f"offered[{item_id}]")
    return MatchModel(milp, groups, delivered, assembled)


def allocation_from(model: MatchModel, values: list[float]) -> Allocation:
    """Delivered units per requirement and item, a group's units filling its members in turn."""
    allocation: Allocation = defaultdict(dict)
    for g, members in enumerate(model.groups):
        room = {r.id: r.quantity for r in members}
        for item in dict.fromkeys(members[0].acceptable):
            col = model.delivered.get((g, item))
            units = round(values[col]) if col is not None else 0
            for r in members:
                take = min(units, room[r.id])
                if take:
                    allocation[r.id][item] = take
                    room[r.id] -= take
                    units -= take
    return allocation


def start_from(instance: MatchInstance, model: MatchModel, allocation: Allocation) -> list[float]:
    """The model's variable values for an allocation (units assembled only where needed)."""
    values = [0.0] * len(model.milp.names)
    demand: dict[str, int] = defaultdict(int)
    for g, members in enumerate(model.groups):
        for r in members:
            for item, units in allocation.get(r.id, {}).items():
                values[model.delivered[(g, item)]] += units
                demand[item] += units
    offered = offered_units(instance)
    catalog = {i.id: i for i in instance.items}
    for item_id in topological_order(instance.items):
        built = demand[item_id] - offered[item_id]
        if built <= 0:
            continue
        values[model.assembled[item_id]] = built
        for c in catalog[item_id].components:
            demand[c.item] += built * c.quantity
    return values


def plan_from_allocation(
    instance: MatchInstance,
    allocation: Mapping[str, Mapping[str, int]],
    stats: SolveStats,
    bom: Bom | None = None,
) -> MatchPlan:
    """Draw sources for an allocation (highest priority first) and the asks for one more unit."""
    bom = bom or Bom(instance.items)
    pool = Pool(instance.offers)
    sources: dict[str, tuple[Source, ...]] = {}
    for r in sorted(instance.requirements, key=lambda r: (-r.priority, r.id)):
        donors: set[str] = set()
        drawn: list[Source] = []
        for item, units in allocation.get(r.id, {}).items():
            drawn += pool.build(bom, item, units, donors)
        sources[r.id] = merge_sources(drawn)
    lines = []
    score = 0.0
    for r in instance.requirements:
        units = sum(allocation.get(r.id, {}).values())
        score += r.priority * units
        lines.append(
            RequirementPlan(
                id=r.id,
                delivered=units,
                shortfall=r.quantity - units,
                sources=sources[r.id],
                missing_for_next_unit=bom.ask(pool.counts, r.item) if units < r.quantity else (),
            )
        )
    optimal = stats.status is SolveStatus.OPTIMAL
    bound = score if optimal else max(score, stats.bound)
    return MatchPlan(
        score=score, bound=bound, optimal=optimal, requirements=tuple(lines), stats=stats
    )


def greedy_allocation(
    instance: MatchInstance, bom: Bom, start: Allocation | None = None
) -> Allocation:
    """Requirements by priority, each built as far as the remaining offers allow.

    With `start`, its units are drawn first and only what is left is handed out.
    """
    pool = Pool(instance.offers)
    allocation: Allocation = defaultdict(dict)
    for rid, items in (start or {}).items():
        for item, units in items.items():
            pool.build(bom, item, units, set())
            allocation[rid][item] = units
    for r in _by_priority(instance.requirements):
        left = r.quantity - sum(allocation[r.id].values())
        for item in dict.fromkeys(r.acceptable):
            units = bom.buildable(pool.counts, item, left) if left else 0
            if units:
                pool.build(bom, item, units, set())
                allocation[r.id][item] = allocation[r.id].get(item, 0) + units
                left -= units
    return allocation


def _by_priority(requirements: tuple[Requirement, ...]) -> list[Requirement]:
    return sorted(requirements, key=lambda r: (-r.priority, r.id))


def greedy_match(instance: MatchInstance) -> MatchPlan:
    """The baseline: requirements in priority order, each met as far as the offers allow."""
    instance.check()
    started = time.perf_counter()
    bom = Bom(instance.items)
    allocation = greedy_allocation(instance, bom)
    score = _score(instance, allocation)
    stats = SolveStats(
        "greedy", SolveStatus.HEURISTIC, score, math.inf, time.perf_counter() - started
    )
    return plan_from_allocation(instance, allocation, stats, bom)


def _score(instance: MatchInstance, allocation: Mapping[str, Mapping[str, int]]) -> float:
    return sum(r.priority * sum(allocation.get(r.id, {}).values()) for r in instance.requirements)


def solve_match(
    instance: MatchInstance,
    *,
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> MatchPlan:
    """The best match plan HiGHS proves (or finds within `time_limit`), with its bound.

    The limit counts from the call, model building included; the plan comes back within
    it plus `limits.margin` (2 s or 5 %), the greedy plan if HiGHS had none.
    """
    clock = Clock(time_limit)
    instance.check()
    bom = Bom(instance.items)
    model = build_model(instance, bom)
    # The greedy plan is a feasible start: HiGHS prunes against it from the first node.
    greedy = greedy_allocation(instance, bom)
    # What is left after building, less a little for drawing sources from the offers.
    reserve = 0.0 if time_limit is None else 0.02 * time_limit
    solution = solve_highs(
        model.milp,
        time_limit=clock.left(reserve),
        on_progress=on_progress,
        start=start_from(instance, model, greedy),
    )
    if solution.values is None:
        # No incumbent within the limit: keep the greedy plan and the proven bound.
        allocation = greedy
    else:
        allocation = allocation_from(model, solution.values)
        if solution.status is not SolveStatus.OPTIMAL:
            # A time-limited incumbent may leave buildable units unused: hand them out.
            allocation = greedy_allocation(instance, bom, start=allocation)
    stats = SolveStats(
        solution.solver,
        solution.status,
        _score(instance, allocation),
        solution.bound,
        clock.spent(),
    )
    return plan_from_allocation(instance, allocation, stats, bom)
