"""The `ramstein.match/1` input and `ramstein.match-plan/1` output documents."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from ramstein.domain.contributions import Visibility
from ramstein.domain.items import Component, Item, MatchInstance, Offer, Requirement
from ramstein.domain.plans import (
    ItemQuantity,
    MatchPlan,
    RequirementPlan,
    SolveStats,
    SolveStatus,
    Source,
)
from ramstein.domain.types import ISO3, Id
from ramstein.io.errors import Strict, parse_document

MATCH_FORMAT = "ramstein.match/1"
PLAN_FORMAT = "ramstein.match-plan/1"

Positive = Annotated[int, Field(gt=0, le=1_000_000_000)]


class ComponentDoc(Strict):
    item: Id
    quantity: Positive


class ItemDoc(Strict):
    id: Id
    name: str = ""
    components: list[ComponentDoc] = []
    note: str = ""


class RequirementDoc(Strict):
    id: Id
    item: Id
    quantity: Positive
    priority: Annotated[float, Field(gt=0)]
    # Extensions kept by the store; optional, and ignored by the planner's score.
    needed_by: date | None = None
    substitutes: list[Id] = []
    note: str = ""


class OfferDoc(Strict):
    id: Id
    donor: ISO3
    item: Id
    quantity: Positive
    available_from: date | None = None
    visibility: Visibility = Visibility.PUBLIC
    note: str = ""


class MatchDoc(Strict):
    format: Literal["ramstein.match/1"]
    items: list[ItemDoc]
    requirements: list[RequirementDoc]
    offers: list[OfferDoc]


def parse_match(text: str) -> MatchInstance:
    """Validate a `ramstein.match/1` document and return its instance; raises InputError."""
    doc = parse_document(text, MatchDoc)
    instance = MatchInstance(
        items=tuple(
            Item(
                i.id,
                i.name,
                tuple(Component(c.item, c.quantity) for c in i.components),
                i.note,
            )
            for i in doc.items
        ),
        requirements=tuple(
            Requirement(
                r.id, r.item, r.quantity, r.priority, r.needed_by, tuple(r.substitutes), r.note
            )
            for r in doc.requirements
        ),
        offers=tuple(
            Offer(o.id, o.donor, o.item, o.quantity, o.available_from, o.visibility, o.note)
            for o in doc.offers
        ),
    )
    instance.check()
    return instance


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def plan_document(plan: MatchPlan) -> dict[str, Any]:
    """The `ramstein.match-plan/1` document of a plan."""
    return {
        "format": PLAN_FORMAT,
        "score": _number(plan.score),
        "bound": _number(plan.bound) if math.isfinite(plan.bound) else None,
        "optimal": plan.optimal,
        "requirements": [
            {
                "id": r.id,
                "delivered": r.delivered,
                "shortfall": r.shortfall,
                "sources": [
                    {"offer": s.offer, "item": s.item, "quantity": s.quantity} for s in r.sources
                ],
                "missing_for_next_unit": [
                    {"item": m.item, "quantity": m.quantity} for m in r.missing_for_next_unit
                ],
            }
            for r in plan.requirements
        ],
    }


def offer_document(o: Offer) -> dict[str, Any]:
    """An offer as it stands in `ramstein.match/1` (and in a coalition's document)."""
    return {
        "id": o.id,
        "donor": o.donor,
        "item": o.item,
        "quantity": o.quantity,
        "available_from": o.available_from.isoformat() if o.available_from else None,
        "visibility": o.visibility.value,
    }


def instance_document(instance: MatchInstance) -> dict[str, Any]:
    """The `ramstein.match/1` document of an instance (the store's, for export and digests)."""
    return {
        "format": MATCH_FORMAT,
        "items": [
            {
                "id": i.id,
                "name": i.name,
                "components": [{"item": c.item, "quantity": c.quantity} for c in i.components],
            }
            for i in instance.items
        ],
        "requirements": [
            {
                "id": r.id,
                "item": r.item,
                "quantity": r.quantity,
                "priority": r.priority,
                "needed_by": r.needed_by.isoformat() if r.needed_by else None,
                "substitutes": list(r.substitutes),
            }
            for r in instance.requirements
        ],
        "offers": [offer_document(o) for o in instance.offers],
    }


def plan_from_document(doc: dict[str, Any], stats: SolveStats | None = None) -> MatchPlan:
    """A match plan read back from its saved `ramstein.match-plan/1` document.

    `stats` are the saved plan's header; without them, stats are rebuilt from the document.
    """
    lines = tuple(
        RequirementPlan(
            r["id"],
            r["delivered"],
            r["shortfall"],
            tuple(Source(s["offer"], s["item"], s["quantity"]) for s in r["sources"]),
            tuple(ItemQuantity(m["item"], m["quantity"]) for m in r["missing_for_next_unit"]),
        )
        for r in doc["requirements"]
    )
    # A solve stopped before proving any bound saves `null`: nothing above is excluded.
    bound = math.inf if doc["bound"] is None else float(doc["bound"])
    if stats is None:
        status = SolveStatus.OPTIMAL if doc["optimal"] else SolveStatus.TIME_LIMIT
        stats = SolveStats("saved", status, float(doc["score"]), bound, 0.0)
    return MatchPlan(float(doc["score"]), bound, doc["optimal"], lines, stats)
