"""`ramstein.coalitions/1`: capability coalitions with their leads and roadmaps, the
requirements and offers each one serves, and the items marked sensitive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from ramstein.domain.coalitions import Coalition, Coverage, Progress, RoadmapTarget
from ramstein.domain.errors import InputError
from ramstein.domain.items import Item, Offer
from ramstein.domain.types import ISO3, Id, Text
from ramstein.io.errors import Strict, parse_document
from ramstein.io.match_json import offer_document


class TargetDoc(Strict):
    item: Id
    year: Annotated[int, Field(ge=2024, le=2035)]
    quantity: Annotated[int, Field(gt=0, le=100_000_000)]
    illustrative: bool = False
    source: Text = ""


class CoalitionDoc(Strict):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]
    leads: list[ISO3]
    note: Text = ""
    targets: list[TargetDoc] = []
    requirements: list[Id] = []
    offers: list[Id] = []


class ItemDoc(Strict):
    id: Id
    name: Annotated[str, Field(max_length=200)] = ""
    note: Text = ""


class SensitiveDoc(Strict):
    item: Id
    note: Text = ""


class CoalitionsDoc(Strict):
    format: Literal["ramstein.coalitions/1"]
    source: Text = ""
    items: list[ItemDoc] = []
    sensitive: list[SensitiveDoc] = []
    coalitions: list[CoalitionDoc]


@dataclass(frozen=True)
class CoalitionDataset:
    """Coalitions, the items their roadmaps name, and which requirements and offers (by id)
    serve each; `sensitive` are the items whose serials are kept in custody."""

    coalitions: tuple[Coalition, ...]
    items: tuple[Item, ...]
    requirements: dict[str, str]
    offers: dict[str, str]
    sensitive: tuple[str, ...]


def parse_coalitions(text: str) -> CoalitionDataset:
    """Validate a `ramstein.coalitions/1` document; raises InputError naming field and id."""
    doc = parse_document(text, CoalitionsDoc)
    requirements: dict[str, str] = {}
    offers: dict[str, str] = {}
    coalitions = []
    for c in doc.coalitions:
        coalition = Coalition(
            c.id,
            c.name,
            tuple(c.leads),
            tuple(
                RoadmapTarget(t.item, t.year, t.quantity, t.illustrative, t.source)
                for t in c.targets
            ),
            c.note,
        )
        coalition.check()
        coalitions.append(coalition)
        for kind, ids, tags in (
            ("requirements", c.requirements, requirements),
            ("offers", c.offers, offers),
        ):
            for i in ids:
                if i in tags:
                    raise InputError(f"coalitions[{c.id}].{kind}[{i}]", f"also in {tags[i]!r}")
                tags[i] = c.id
    ids = [c.id for c in coalitions]
    if len(set(ids)) != len(ids):
        raise InputError("coalitions.id", "duplicate id")
    return CoalitionDataset(
        tuple(coalitions),
        tuple(Item(i.id, i.name, (), i.note) for i in doc.items),
        requirements,
        offers,
        tuple(s.item for s in doc.sensitive),
    )


def coalition_summary(c: Coalition) -> dict[str, Any]:
    """A coalition's id, name, leads, note and roadmap targets, as documents show them."""
    return {
        "id": c.id,
        "name": c.name,
        "leads": list(c.leads),
        "note": c.note,
        "targets": [
            {
                "item": t.item,
                "year": t.year,
                "quantity": t.quantity,
                "illustrative": t.illustrative,
                "source": t.source,
            }
            for t in c.targets
        ],
    }


def view_document(
    coalition: Coalition,
    *,
    lead: bool,
    offers: tuple[Offer, ...],
    progress: tuple[Progress, ...],
    coverage: tuple[Coverage, ...] | None,
) -> dict[str, Any]:
    """`ramstein.coalition/1`: a coalition as one viewer sees it (offers, roadmap progress,
    and the coverage of its requirements where the viewer may read requirements)."""
    return {
        "format": "ramstein.coalition/1",
        **coalition_summary(coalition),
        "lead": lead,
        "offers": [offer_document(o) for o in offers],
        "progress": [
            {
                "item": p.target.item,
                "year": p.target.year,
                "target": p.target.quantity,
                "offered": p.offered,
                "share": round(p.share, 6),
                "illustrative": p.target.illustrative,
            }
            for p in progress
        ],
        "coverage": None
        if coverage is None
        else [
            {
                "requirement": c.requirement,
                "item": c.item,
                "priority": c.priority,
                "required": c.required,
                "offered": c.offered,
                "covered": c.covered,
            }
            for c in coverage
        ],
    }
