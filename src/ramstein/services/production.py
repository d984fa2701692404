"""Ukraine's production capacity over the store: published as offers, priced as funding."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ramstein.domain import production
from ramstein.domain.plans import PlanKind
from ramstein.domain.production import Capacity, FundingNeed
from ramstein.services.plans import latest_plan
from ramstein.store import catalog
from ramstein.store import production as store


def add_capacities(session: Session, capacities: list[Capacity]) -> int:
    """Store capacities and publish each as an offer to the match; returns how many changed."""
    production.check_all(capacities)
    for c in capacities:
        catalog.ensure_item(session, c.item, c.item)
    changed = store.save_capacities(session, capacities)
    for offer in production.offers(capacities):
        catalog.upsert_offer(session, offer)
    session.flush()
    return changed


def funding_needs(session: Session) -> list[FundingNeed]:
    """Each stored capacity with what the latest saved match plan draws from it."""
    saved = latest_plan(session, PlanKind.MATCH)
    return production.funding_needs(store.list_capacities(session), saved.plan if saved else None)
