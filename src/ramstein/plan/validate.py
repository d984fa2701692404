"""Independent checks of plans: recompute the objective and test every rule."""

from __future__ import annotations

from collections import defaultdict

from ramstein.domain.items import MatchInstance
from ramstein.domain.plans import MatchPlan
from ramstein.plan.bom import Bom

TOLERANCE = 1e-6


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
    if abs(score - plan.score) > TOLERANCE * max(1.0, abs(score)):
        problems.append(f"score {plan.score} != recomputed {score}")
    if plan.bound < plan.score - TOLERANCE * max(1.0, abs(score)):
        problems.append(f"bound {plan.bound} below score {plan.score}")
    if plan.optimal and abs(plan.bound - plan.score) > TOLERANCE * max(1.0, abs(score)):
        problems.append("optimal but bound != score")
    return problems


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
