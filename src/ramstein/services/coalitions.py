"""Capability coalitions as each viewer sees them: roadmap progress, the coalition's offers
and the coverage of its requirements, and the match a lead runs for its coalition.

Every figure is computed from the offers the viewer may see (`store.catalog.list_offers`
with the viewer: the one access rule, in SQL), so that a hidden offer changes no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Action, Viewer, leads, may
from ramstein.domain.coalitions import Coalition, Coverage, Progress, coverage, progress
from ramstein.domain.errors import InputError
from ramstein.domain.items import MatchInstance, Offer, Requirement
from ramstein.domain.plans import MatchPlan
from ramstein.io.coalition_json import CoalitionDataset, view_document
from ramstein.plan.match import solve_match
from ramstein.store import catalog
from ramstein.store.coalitions import get_coalition, list_coalitions, upsert_coalition


class NotLead(Exception):
    """The viewer does not lead the coalition it asked to act for."""

    def __init__(self, coalition: str) -> None:
        super().__init__(f"coalition: only its leads and coordinators may do this ({coalition})")
        self.coalition = coalition


@dataclass(frozen=True)
class CoalitionView:
    """One coalition as a viewer sees it.

    `offers` are the coalition's offers the viewer may see; `progress` sets them against the
    roadmap; `coverage` (None for viewers who may not read requirements) sets the
    coalition's requirements against every offer the viewer may see.
    """

    coalition: Coalition
    lead: bool
    offers: tuple[Offer, ...]
    progress: tuple[Progress, ...]
    requirements: tuple[Requirement, ...] | None
    coverage: tuple[Coverage, ...] | None

    def document(self) -> dict[str, Any]:
        """The view as `ramstein.coalition/1` (what the API, the page and the CLI show)."""
        return view_document(
            self.coalition,
            lead=self.lead,
            offers=self.offers,
            progress=self.progress,
            coverage=self.coverage,
        )


def view(session: Session, viewer: Viewer, coalition_id: str) -> CoalitionView:
    """A coalition as `viewer` sees it; an unknown id raises InputError."""
    coalition = get_coalition(session, coalition_id)
    offers = catalog.list_offers(session, viewer=viewer, coalition=coalition_id)
    reqs: tuple[Requirement, ...] | None = None
    covered: tuple[Coverage, ...] | None = None
    if may(viewer, Action.READ_REQUIREMENTS):
        reqs = tuple(catalog.list_requirements(session, coalition=coalition_id))
        seen = catalog.list_offers(session, viewer=viewer)
        covered = tuple(coverage(list(reqs), seen))
    return CoalitionView(
        coalition,
        leads(viewer, coalition_id),
        tuple(offers),
        tuple(progress(coalition.targets, offers)),
        reqs,
        covered,
    )


def overview(session: Session, viewer: Viewer) -> list[CoalitionView]:
    """Every coalition as `viewer` sees it, by id."""
    return [view(session, viewer, c.id) for c in list_coalitions(session)]


def match_instance(session: Session, viewer: Viewer, coalition_id: str) -> MatchInstance:
    """The coalition's match: its requirements against every offer the viewer may see."""
    get_coalition(session, coalition_id)
    if not leads(viewer, coalition_id):
        raise NotLead(coalition_id)
    requirements = tuple(catalog.list_requirements(session, coalition=coalition_id))
    if not requirements:
        raise InputError(f"coalitions[{coalition_id}].requirements", "none to match")
    return MatchInstance(
        items=tuple(catalog.list_items(session)),
        requirements=requirements,
        offers=tuple(catalog.list_offers(session, viewer=viewer)),
    )


def match(
    session: Session, viewer: Viewer, coalition_id: str, *, time_limit: float | None = None
) -> tuple[MatchInstance, MatchPlan]:
    """Solve the coalition's match for a lead (not saved: the saved match plans are the
    coordination's, over every offer)."""
    instance = match_instance(session, viewer, coalition_id)
    instance.check()
    return instance, solve_match(instance, time_limit=time_limit)


def load_dataset(session: Session, dataset: CoalitionDataset) -> int:
    """Store a dataset's coalitions, tag its requirements and offers, and mark its sensitive
    items; returns how many coalitions. Loading it twice changes nothing."""
    for item in dataset.items:
        catalog.ensure_item(session, item.id, item.name)
    for coalition in dataset.coalitions:
        upsert_coalition(session, coalition)
    for requirement, coalition_id in dataset.requirements.items():
        catalog.tag_requirement(session, requirement, coalition_id)
    for offer, coalition_id in dataset.offers.items():
        catalog.tag_offer(session, offer, coalition_id)
    for item_id in dataset.sensitive:
        catalog.mark_sensitive(session, item_id)
    session.flush()
    return len(dataset.coalitions)
