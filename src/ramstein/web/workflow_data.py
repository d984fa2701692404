"""The data of the workflow pages, one function per page (the page renders it, `?format=json`
serves it): the liaison's requirements desk, a ministry's offers desk, the coordinator's
planning desk and the receipts desk. Every figure comes from rows the viewer may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ramstein.domain.access import Action, Role, Viewer, may, visible
from ramstein.domain.errors import InputError
from ramstein.domain.plans import PlanKind
from ramstein.plan.bom import asks_to
from ramstein.services import acceptance
from ramstein.services.plan_views import latest_match_for
from ramstein.services.plans import latest_plan
from ramstein.services.tracking import discrepancies
from ramstein.store import catalog, coalitions, logistics
from ramstein.store import repositories as repo
from ramstein.store.plans import list_plans


def _planned(session: Session, viewer: Viewer) -> tuple[int | None, dict[str, int]]:
    """The latest match plan's version and units planned per requirement, as the viewer
    may read it."""
    saved = latest_match_for(session, viewer)
    if saved is None:
        return None, {}
    return saved.record.version, {r.id: r.delivered for r in saved.plan.requirements}


def requirements_desk(session: Session, viewer: Viewer) -> dict[str, Any]:
    """The requirements with what the latest plan assigns them, and the catalog to pick
    items from; for the recipient's liaison and the coordination staff."""
    if not may(viewer, Action.WRITE_REQUIREMENT):
        return {"allowed": False}
    version, planned = _planned(session, viewer)
    return {
        "allowed": True,
        "plan": version,
        "items": [{"id": i.id, "name": i.name or i.id} for i in catalog.list_items(session)],
        "coalitions": [{"id": c.id, "name": c.name} for c in coalitions.list_coalitions(session)],
        "requirements": [
            {
                "id": r.id,
                "item": r.item,
                "quantity": r.quantity,
                "priority": r.priority,
                "needed_by": r.needed_by.isoformat() if r.needed_by else "",
                "substitutes": list(r.substitutes),
                "coalition": r.coalition or "",
                "planned": planned.get(r.id),
            }
            for r in catalog.list_requirements(session)
        ],
    }


def offers_desk(session: Session, viewer: Viewer) -> dict[str, Any]:
    """What the recipient needs, what the plan covers, the asks put to the viewer's nation,
    and its offers (which of them the plan uses); for a ministry (or a coordinator, for
    every donor)."""
    if not may(viewer, Action.READ_REQUIREMENTS) or viewer.role is Role.RECIPIENT:
        return {"allowed": False}
    donor = viewer.nation if viewer.role is Role.NATION else None
    saved = latest_match_for(session, viewer)
    planned = {r.id: r.delivered for r in saved.plan.requirements} if saved else {}
    used = acceptance.units_used(saved.plan) if saved else {}
    offers = catalog.list_offers(session, viewer=viewer)
    mine = [o for o in offers if donor is None or o.donor == donor]
    asks = []
    if saved is not None and donor is not None:
        asks = [
            {"requirement": a.requirement, "item": a.item, "quantity": a.quantity, "why": a.why}
            for a in asks_to(saved.plan.requirements, offers, donor)
        ]
    return {
        "allowed": True,
        "donor": donor,
        "plan": saved.record.version if saved else None,
        "items": [i.id for i in catalog.list_items(session)],
        "requirements": [
            {
                "id": r.id,
                "item": r.item,
                "quantity": r.quantity,
                "priority": r.priority,
                "needed_by": r.needed_by.isoformat() if r.needed_by else "",
                "planned": planned.get(r.id),
            }
            for r in catalog.list_requirements(session)
        ],
        "asks": asks,
        "offers": [
            {
                "id": o.id,
                "donor": o.donor,
                "item": o.item,
                "quantity": o.quantity,
                "available_from": o.available_from.isoformat() if o.available_from else "",
                "visibility": o.visibility.value,
                "used": used.get(o.id, (0, []))[0],
                "serves": used.get(o.id, (0, []))[1],
                "accepted": repo.get_contribution(session, acceptance.contribution_id(o.id))
                is not None,
            }
            for o in mine
        ],
    }


def planning_desk(
    session: Session, viewer: Viewer, before: int | None, after: int | None
) -> dict[str, Any]:
    """The saved plans of each planner, two match plans compared, and what accepting the
    newer one would commit; for the coordination staff."""
    if not may(viewer, Action.RUN_PLANS):
        return {"allowed": False}
    versions = {
        kind.value: [
            {
                "version": r.version,
                "created_at": r.created_at.isoformat(timespec="seconds"),
                "actor": r.actor,
                "score": r.score,
                "optimal": r.optimal,
            }
            for r in list_plans(session, kind)
        ]
        for kind in PlanKind
    }
    comparison: dict[str, Any] | None = None
    error = ""
    if len(versions["match"]) >= 2 or (before is not None and after is not None):
        try:
            old, new, changes = acceptance.compare(session, before, after, viewer)
            comparison = {
                "before": old,
                "after": new,
                "requirements": [
                    {
                        "requirement": c.requirement,
                        "before": c.before,
                        "after": c.after,
                        "change": c.change,
                        "verdict": c.verdict,
                        "donors_before": list(c.donors_before),
                        "donors_after": list(c.donors_after),
                    }
                    for c in changes
                ],
            }
        except InputError as exc:
            error = str(exc)
    saved = latest_plan(session, PlanKind.MATCH)
    pending = []
    if saved is not None:
        for offer_id, (units, serves) in sorted(acceptance.units_used(saved.plan).items()):
            cid = acceptance.contribution_id(offer_id)
            pending.append(
                {
                    "offer": offer_id,
                    "units": units,
                    "serves": serves,
                    "contribution": cid,
                    "accepted": repo.get_contribution(session, cid) is not None,
                }
            )
    return {
        "allowed": True,
        "versions": versions,
        "comparison": comparison,
        "error": error,
        "latest_match": saved.record.version if saved else None,
        "offers_used": pending,
    }


def receipts_desk(session: Session, viewer: Viewer) -> dict[str, Any]:
    """Every consignment with where its pallets are, and shipped against received; for the
    recipient's liaison (who confirms receipts) and the coordination staff."""
    if not may(viewer, Action.RECORD_TRACKING):
        return {"allowed": False}
    rows = []
    for c in logistics.consignment_rows(session):
        state = logistics.whereabouts(session, c.id)
        summary = state.summary()
        done = sum(summary.get(k, 0) for k in ("received", "damaged", "lost"))
        rows.append(
            {
                "id": c.id,
                "item": c.item,
                "pallets": c.pallets,
                "origin": c.origin,
                "destination": c.destination,
                "due": c.due.isoformat(),
                "fulfils": c.fulfils,
                "received": summary.get("received", 0),
                "damaged": summary.get("damaged", 0),
                "lost": summary.get("lost", 0),
                "open": c.pallets - done,
            }
        )
    return {
        "allowed": True,
        "consignments": rows,
        "discrepancies": [d.__dict__ for d in discrepancies(session)],
    }


def contribution_edit(session: Session, viewer: Viewer, contribution_id: str) -> dict[str, Any]:
    """A contribution the viewer may change, with the statuses it may move to."""
    found = repo.get_contribution(session, contribution_id)
    if found is None or not visible(viewer, found[0].visibility, found[0].donor):
        raise LookupError(contribution_id)
    c = found[0]
    return {
        "allowed": may(viewer, Action.WRITE_CONTRIBUTION, c.donor),
        "id": c.id,
        "donor": c.donor,
        "status": c.status.value,
        "amount": "" if c.amount is None else f"{c.amount:.2f}",
        "currency": c.currency,
        "description": c.description,
    }
