"""A match plan as read by a viewer who may see only some of the offers it draws on.

A plan is solved over every offer, confidential ones included. A viewer who may not see an
offer must read the plan as if that offer did not exist (the non-interference rule): its
sources are dropped, and each requirement's units and shortfall are recounted from the
sources that remain (a lower bound: units buildable from them, item by acceptable item).
Asks for one more unit are recounted from what the seen offers have left. The plan's score
and bound summarise every offer, so the viewer's copy carries the score of its own recount
and no proven bound.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ramstein.domain.items import Offer, Requirement
from ramstein.domain.plans import MatchPlan, RequirementPlan
from ramstein.plan.bom import Bom


def _left(plan: MatchPlan, seen: Sequence[Offer]) -> Counter[str]:
    """Units of each item the seen offers still hold after every source the plan draws."""
    left: Counter[str] = Counter()
    drawn: Counter[str] = Counter()
    for line in plan.requirements:
        for s in line.sources:
            drawn[s.offer] += s.quantity
    for o in seen:
        left[o.item] += max(0, o.quantity - drawn[o.id])
    return left


def _line(
    line: RequirementPlan,
    requirement: Requirement,
    bom: Bom,
    ids: set[str],
    left: Counter[str],
) -> RequirementPlan:
    kept = tuple(s for s in line.sources if s.offer in ids)
    units = line.delivered
    counts: Counter[str] = Counter()
    if len(kept) < len(line.sources):
        for s in kept:
            counts[s.item] += s.quantity
        # Each acceptable item on its own: sources drawn for one are not reused for another.
        units = max(
            (bom.buildable(counts, item, requirement.quantity) for item in requirement.acceptable),
            default=0,
        )
    ask = bom.ask(counts + left, requirement.item) if units < requirement.quantity else ()
    return RequirementPlan(
        id=line.id,
        delivered=units,
        shortfall=requirement.quantity - units,
        sources=kept,
        missing_for_next_unit=ask,
    )


def seen_through(
    plan: MatchPlan,
    seen: Sequence[Offer],
    requirements: Mapping[str, Requirement],
    bom: Bom,
) -> MatchPlan:
    """The plan as a viewer who may see only the offers `seen` (and `requirements`) reads it.

    Nothing of the result depends on an offer outside `seen`: the sources of such offers are
    dropped, units and shortfalls recounted from the rest, asks recounted from what the
    seen offers have left. Requirements the viewer does not know are left out.
    """
    ids = {o.id for o in seen}
    left = _left(plan, seen)
    lines = tuple(
        _line(line, requirements[line.id], bom, ids, left)
        for line in plan.requirements
        if line.id in requirements
    )
    score = sum(requirements[line.id].priority * line.delivered for line in lines)
    return replace(plan, score=score, bound=math.nan, optimal=False, requirements=lines)
