"""Independent checks of plans: recompute the objective and test every rule."""

from __future__ import annotations

from collections import defaultdict

from ramstein.domain.items import MatchInstance
from ramstein.domain.logistics import Consignment, LogisticsInstance
from ramstein.domain.plans import MatchPlan, Movement, RoutePlan, TrainingPlan
from ramstein.domain.training import TrainingInstance, fits
from ramstein.plan.bom import Bom

TOLERANCE = 1e-6


def _score_problems(plan: MatchPlan | TrainingPlan, score: float) -> list[str]:
    """A maximised plan: its score as recomputed, its bound at or above it, equal if optimal."""
    slack = TOLERANCE * max(1.0, abs(score))
    problems = []
    if abs(score - plan.score) > slack:
        problems.append(f"score {plan.score} != recomputed {score}")
    if plan.bound < plan.score - slack:
        problems.append(f"bound {plan.bound} below score {plan.score}")
    if plan.optimal and abs(plan.bound - plan.score) > slack:
        problems.append("optimal but bound != score")
    return problems


def validate_match(instance: MatchInstance, plan: MatchPlan) -> list[str]:
    """Every rule a match plan breaks, as messages; an empty list means the plan is valid."""
    problems: list[str] = []
    bom = Bom(instance.items)
    offers = {o.id: o for o in instance.offers}
    requirements = {r.id: r for r in instance.requirements}
    planned = [p.id for p in plan.requirements]
    if sorted(planned) != sorted(requirements):
        problems.append(f"plan lists requirements {sorted(planned)}, not {sorted(requirements)}")
    drawn: dict[str, int] = defaultdict(int)
    score = 0.0
    for line in plan.requirements:
        r = requirements.get(line.id)
        if r is None:
            continue
        if not 0 <= line.delivered <= r.quantity:
            problems.append(f"{r.id}: delivered {line.delivered} outside 0..{r.quantity}")
        if line.shortfall != r.quantity - line.delivered:
            problems.append(f"{r.id}: shortfall {line.shortfall} != quantity - delivered")
        counts: dict[str, int] = defaultdict(int)
        for s in line.sources:
            offer = offers.get(s.offer)
            if offer is None:
                problems.append(f"{r.id}: source from unknown offer {s.offer!r}")
                continue
            if offer.item != s.item:
                problems.append(f"{r.id}: offer {s.offer} gives {offer.item}, not {s.item}")
            if s.quantity <= 0:
                problems.append(f"{r.id}: source {s.offer} has quantity {s.quantity}")
            counts[s.item] += s.quantity
            drawn[s.offer] += s.quantity
        if not _builds(bom, counts, r.acceptable, line.delivered):
            problems.append(f"{r.id}: sources do not build {line.delivered} units of {r.item}")
        score += r.priority * line.delivered
        if line.delivered == r.quantity and line.missing_for_next_unit:
            problems.append(f"{r.id}: fully met but asks for more")
        if plan.optimal and line.delivered < r.quantity and not line.missing_for_next_unit:
            # Short with nothing missing means one more unit could be built: not optimal.
            problems.append(f"{r.id}: short but asks for nothing")
    for offer_id, units in drawn.items():
        if units > offers[offer_id].quantity:
            problems.append(f"offer {offer_id}: drawn {units} of {offers[offer_id].quantity}")
    return problems + _score_problems(plan, score)


def _builds(bom: Bom, counts: dict[str, int], acceptable: tuple[str, ...], units: int) -> bool:
    """Whether `counts` build `units` of the acceptable items with nothing left over."""
    left = dict(counts)
    remaining = units
    for item in acceptable:
        if remaining == 0:
            break
        take = bom.buildable(left, item, remaining)
        if take:
            _consume(bom, left, item, take)
            remaining -= take
    return remaining == 0 and not any(left.values())


def _consume(bom: Bom, counts: dict[str, int], item: str, units: int) -> None:
    total: dict[str, int] = defaultdict(int, {item: units})
    for node in bom.closure(item):
        need = total[node]
        direct = min(need, counts.get(node, 0))
        counts[node] = counts.get(node, 0) - direct
        for c in bom.catalog[node].components:
            total[c.item] += (need - direct) * c.quantity


def validate_route(instance: LogisticsInstance, plan: RoutePlan) -> list[str]:
    """Every rule a route plan breaks: conservation, capacities, throughput, objective."""
    problems: list[str] = []
    links = {(k.source, k.target): k for k in instance.links}
    by_id = {c.id: c for c in instance.consignments}
    horizon = instance.horizon
    link_load: dict[tuple[str, str, int], int] = defaultdict(int)
    hub_load: dict[tuple[str, int], int] = defaultdict(int)
    per_consignment: dict[str, list[Movement]] = defaultdict(list)
    for m in plan.movements:
        link = links.get((m.source, m.target))
        c = by_id.get(m.consignment)
        if link is None or c is None:
            problems.append(f"movement {m}: unknown link or consignment")
            continue
        if m.arrive != m.depart + link.transit:
            problems.append(f"movement {m}: arrive != depart + transit")
        if m.depart < 0 or m.arrive > horizon - 1 or m.pallets <= 0:
            problems.append(f"movement {m}: outside the horizon or not positive")
        if m.source == c.destination:
            problems.append(f"movement {m}: leaves the consignment's destination")
        link_load[(m.source, m.target, m.depart)] += m.pallets
        hub_load[(m.target, m.arrive)] += m.pallets
        per_consignment[m.consignment].append(m)
    for (u, v, t), n in link_load.items():
        if n > links[(u, v)].capacity:
            problems.append(f"link {u}->{v} in {t}: {n} > capacity {links[(u, v)].capacity}")
    for hub in instance.hubs:
        for t in range(horizon):
            limit = instance.throughput(hub, t)
            if limit is not None and hub_load.get((hub, t), 0) > limit:
                problems.append(f"hub {hub} in {t}: {hub_load[(hub, t)]} > {limit}")
    objective = 0.0
    outcomes = {o.id: o for o in plan.consignments}
    for c in instance.consignments:
        delivered, arrivals, errors = _conserve(c, per_consignment[c.id])
        problems += errors
        objective += sum(
            links[(m.source, m.target)].cost * m.pallets for m in per_consignment[c.id]
        )
        late = instance.late_weight * c.priority
        objective += sum(late * max(0, t - c.due) * n for t, n in arrivals)
        objective += late * (horizon - c.due) * (c.pallets - delivered)
        o = outcomes.get(c.id)
        expected = (
            delivered,
            c.pallets - delivered,
            max((t for t, _ in arrivals), default=None),
            sum(max(0, t - c.due) * n for t, n in arrivals),
        )
        if o is None or (o.delivered, o.undelivered, o.last_arrival, o.late_pallet_periods) != (
            expected
        ):
            problems.append(f"consignment {c.id}: outcome {o} != recomputed {expected}")
    for hub, load in plan.hub_loads.items():
        if list(load) != [hub_load.get((hub, t), 0) for t in range(horizon)]:
            problems.append(f"hub {hub}: load series differs from the movements")
    if abs(objective - plan.objective) > TOLERANCE * max(1.0, abs(objective)):
        problems.append(f"objective {plan.objective} != recomputed {objective}")
    if plan.bound > plan.objective + TOLERANCE * max(1.0, abs(objective)):
        problems.append(f"bound {plan.bound} above objective {plan.objective}")
    if plan.optimal and abs(plan.bound - plan.objective) > TOLERANCE * max(1.0, abs(objective)):
        problems.append("optimal but bound != objective")
    return problems


def _conserve(
    c: Consignment, movements: list[Movement]
) -> tuple[int, list[tuple[int, int]], list[str]]:
    """Replay a consignment's movements: pallets delivered, arrivals, and any violation."""
    problems: list[str] = []
    at: dict[str, int] = defaultdict(int)
    events: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for m in movements:
        events[m.arrive].append((0, m.target, m.pallets))
        events[m.depart].append((1, m.source, -m.pallets))
    at[c.origin] = 0
    arrivals: list[tuple[int, int]] = []
    for t in sorted(set(events) | {c.ready}):
        if t == c.ready:
            at[c.origin] += c.pallets
        if t < c.ready and any(delta < 0 for _, _, delta in events[t]):
            problems.append(f"consignment {c.id}: departs before it is ready")
        # Pallets arriving in a period may leave in that same period.
        for _, node, delta in sorted(events[t]):
            at[node] += delta
            if delta > 0 and node == c.destination:
                arrivals.append((t, delta))
        for node, count in at.items():
            if count < 0:
                problems.append(
                    f"consignment {c.id}: {-count} pallets leave {node} in {t} that are not there"
                )
                at[node] = 0
    delivered = sum(n for _, n in arrivals)
    return delivered, arrivals, problems


def validate_training(instance: TrainingInstance, plan: TrainingPlan) -> list[str]:
    """Every rule a training plan breaks: one session per cohort, fit, seats, score, reasons."""
    problems: list[str] = []
    cohorts = {c.id: c for c in instance.cohorts}
    sessions = {s.id: s for s in instance.sessions}
    seats: dict[str, int] = defaultdict(int)
    placed: set[str] = set()
    score = 0.0
    for cid, sid in plan.assignments:
        c, s = cohorts.get(cid), sessions.get(sid)
        if c is None or s is None:
            problems.append(f"assignment {cid}->{sid}: unknown cohort or session")
            continue
        if cid in placed:
            problems.append(f"cohort {cid}: placed twice")
        placed.add(cid)
        if not fits(c, s):
            problems.append(f"cohort {cid}: session {sid} does not fit its course and dates")
        seats[sid] += c.size
        score += c.priority * c.size
    for sid, used in seats.items():
        if used > sessions[sid].capacity:
            problems.append(f"session {sid}: {used} seats > capacity {sessions[sid].capacity}")
    for sid in sessions:
        if plan.used.get(sid, 0) != seats.get(sid, 0):
            problems.append(f"session {sid}: used {plan.used.get(sid)} != {seats.get(sid, 0)}")
    left = {u.cohort: u.reason for u in plan.unassigned}
    for cid, c in cohorts.items():
        if cid in placed:
            if cid in left:
                problems.append(f"cohort {cid}: both placed and unassigned")
            continue
        expected = "capacity" if any(fits(c, s) for s in sessions.values()) else "no_session"
        if left.get(cid) != expected:
            problems.append(f"cohort {cid}: reason {left.get(cid)!r}, expected {expected!r}")
    return problems + _score_problems(plan, score)
