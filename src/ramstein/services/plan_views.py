"""Saved plans as each viewer may read them.

Plans are solved over every offer; a viewer who may not see some of them reads each match
plan through `plan.match_view.seen_through`, so that an offer hidden from it changes
nothing it is told (the non-interference rule). Route and training plans draw on no
confidential rows and are read as saved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Viewer, scope
from ramstein.domain.items import Offer, Requirement
from ramstein.domain.plans import MatchPlan, PlanKind
from ramstein.io.match_json import plan_document
from ramstein.plan.bom import Bom
from ramstein.plan.match_view import seen_through
from ramstein.services.plans import SavedPlan, latest_plan, plan_version, read_plan
from ramstein.store import catalog
from ramstein.store.plans import PlanRecord


def sees_every_offer(viewer: Viewer) -> bool:
    """Whether the viewer reads plans as saved (it may see every offer)."""
    return scope(viewer).everything


class _Lens:
    """What one viewer may see of the catalog, read once (lazily) and applied to any number
    of match plans: a listing of every saved version reads the offers only once."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session, self.viewer = session, viewer
        self._parts: tuple[list[Offer], dict[str, Requirement], Bom] | None = None

    def read(self, plan: MatchPlan) -> MatchPlan:
        """The plan as the viewer may read it."""
        if self._parts is None:
            self._parts = (
                catalog.list_offers(self.session, viewer=self.viewer),
                {r.id: r for r in catalog.list_requirements(self.session)},
                Bom(catalog.list_items(self.session)),
            )
        return seen_through(plan, *self._parts)


def _seen_by(session: Session, viewer: Viewer, plan: MatchPlan) -> MatchPlan:
    return _Lens(session, viewer).read(plan)


def latest_match_for(session: Session, viewer: Viewer) -> SavedPlan[MatchPlan] | None:
    """The newest match plan as the viewer may read it."""
    saved = latest_plan(session, PlanKind.MATCH)
    if saved is None or sees_every_offer(viewer):
        return saved
    return SavedPlan(saved.record, _seen_by(session, viewer, saved.plan))


def document_for(session: Session, viewer: Viewer, record: PlanRecord) -> dict[str, Any]:
    """A saved plan's document as the viewer may read it."""
    if record.kind is not PlanKind.MATCH or sees_every_offer(viewer):
        return record.document
    plan = _seen_by(session, viewer, read_plan(record))
    return plan_document(plan)


def headers_for(
    session: Session, viewer: Viewer, records: Sequence[PlanRecord]
) -> list[dict[str, Any]]:
    """Saved plans' headers (no documents) as the viewer may read them."""
    lens = _Lens(session, viewer)
    return [_header(lens, r) for r in records]


def _header(lens: _Lens, record: PlanRecord) -> dict[str, Any]:
    score, bound, optimal = record.score, record.bound, record.optimal
    if record.kind is PlanKind.MATCH and not sees_every_offer(lens.viewer):
        plan = lens.read(read_plan(record))
        score, bound, optimal = plan.score, plan.bound, plan.optimal
    return {
        "version": record.version,
        "created_at": record.created_at.isoformat(),
        "actor": record.actor,
        "inputs_digest": record.inputs_digest,
        "score": score,
        "bound": bound if math.isfinite(bound) else None,  # none proven
        "optimal": optimal,
    }


def match_version_for(
    session: Session, viewer: Viewer, version: int | None
) -> SavedPlan[MatchPlan]:
    """A saved match plan by version (None: the newest) as the viewer may read it."""
    saved: SavedPlan[MatchPlan] = plan_version(session, PlanKind.MATCH, version)
    if sees_every_offer(viewer):
        return saved
    return SavedPlan(saved.record, _seen_by(session, viewer, saved.plan))
